-- Every payout's amount is the sum of paid_amount over the rows that carry its tx, and each
-- day's paid amount is the sum over its payments.
with

rows as (
    select * from stg_earn_history
),

days as (
    select * from daily_earnings
),

row_sums as (
    select account, coin, payment_tx, sum(paid_amount_sat) as row_sum, count(*) as days
    from rows
    where payment_tx is not null
    group by account, coin, payment_tx
),

day_sums as (
    select account, coin, date, sum(paid_amount_sat) as row_sum, count(distinct payment_tx) as n
    from rows
    group by account, coin, date
),

payouts_off as (
    select p.account, p.coin, p.payment_tx, cast(null as date) as date
    from payouts as p
    full outer join row_sums as r
        on p.account = r.account and p.coin = r.coin and p.payment_tx = r.payment_tx
    where p.paid_sat is distinct from r.row_sum or p.earning_days is distinct from r.days
),

days_off as (
    select d.account, d.coin, cast(null as varchar) as payment_tx, d.date
    from days as d
    inner join day_sums as s on d.account = s.account and d.coin = s.coin and d.date = s.date
    where d.paid_amount_sat != s.row_sum or d.payments != s.n
)

select * from payouts_off
union all
select * from days_off
