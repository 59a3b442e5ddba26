-- Every payout's amount is the sum of paid_amount over the rows that carry its tx, and each day
-- paid in several payments has the sum and the count of its rows' (one payment: its row's).
with

rows as not materialized (
    select * from int_paid_rows
),

days as (
    select * from daily_earnings
),

row_sums as (
    select
        account,
        coin,
        payment_tx,
        sum(paid_amount_sat) as row_sum,
        count(*) as days,
        max(date) as last_date
    from rows
    where payment_tx is not null
    group by account, coin, payment_tx
),

several as (
    select * from days where payments > 1
),

day_sums as (
    select r.account, r.coin, r.date, sum(r.paid_amount_sat) as row_sum, count(r.payment_tx) as n
    from rows as r
    semi join several as s on r.account = s.account and r.coin = s.coin and r.date = s.date
    group by r.account, r.coin, r.date
),

payouts_off as (
    -- dated on the payout's last day: an incremental build answers for the payouts it
    -- recomputed (docs/warehouse.md, "Incremental builds")
    select
        coalesce(p.account, r.account) as account,
        coalesce(p.coin, r.coin) as coin,
        coalesce(p.payment_tx, r.payment_tx) as payment_tx,
        coalesce(p.last_date, r.last_date) as date
    from payouts as p
    full outer join row_sums as r
        on p.account = r.account and p.coin = r.coin and p.payment_tx = r.payment_tx
    where p.paid_sat is distinct from r.row_sum or p.earning_days is distinct from r.days
),

days_off as (
    select d.account, d.coin, cast(null as varchar) as payment_tx, d.date
    from several as d
    left join day_sums as s on d.account = s.account and d.coin = s.coin and d.date = s.date
    where d.paid_amount_sat is distinct from s.row_sum or d.payments is distinct from s.n
)

select * from payouts_off
union all
select * from days_off
