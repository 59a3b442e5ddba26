-- A payout's value is the sum of its rows' exact values (each earn-history row naming its tx,
-- valued at the payout's price, unrounded) rounded once to the cent: never the sum of rows
-- rounded one by one. The exact values of one payout's rows share its price, so their sum is
-- the exact value of the rows' satoshi summed: one exact product per payout.
with

rows as (
    select * from int_paid_rows
),

payouts as (
    select * from payouts
),

row_sums as (
    select
        p.account,
        p.coin,
        p.payment_tx,
        to_cents(fiat_exact(sum(r.paid_amount_sat), any_value(p.price_close))) as rows_value
    from payouts as p
    inner join rows as r
        on p.account = r.account and p.coin = r.coin and p.payment_tx = r.payment_tx
    group by p.account, p.coin, p.payment_tx
)

select p.account, p.coin, p.payment_tx, p.paid_value, s.rows_value
from payouts as p
left join row_sums as s
    on p.account = s.account and p.coin = s.coin and p.payment_tx = s.payment_tx
where p.paid_value is distinct from s.rows_value
