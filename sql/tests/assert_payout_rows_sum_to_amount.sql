-- Every payout's amount is the sum of paid_amount over the days that carry its tx.
with day_sums as (
    select account, coin, payment_tx, sum(paid_amount_sat) as day_sum, count(*) as days
    from daily_earnings
    where payment_tx is not null
    group by account, coin, payment_tx
)

select p.account, p.coin, p.payment_tx, p.paid_sat, d.day_sum
from payouts as p
full outer join day_sums as d
    on p.account = d.account and p.coin = d.coin and p.payment_tx = d.payment_tx
where p.paid_sat is distinct from d.day_sum or p.earning_days is distinct from d.days
