-- A payout's value is the sum of its rows' exact values (each earn-history row naming its tx,
-- valued at the payout's price, unrounded) rounded once to the cent: never the sum of rows
-- rounded one by one. The rows' exact values share the payout's price, so their sum is the
-- exact value of their satoshi summed, which is paid_sat (assert_payout_rows_sum_to_amount
-- checks that): the value is paid_sat's exact value, rounded once, by the exact macros.
select account, coin, payment_tx, paid_value, to_cents(fiat_exact(paid_sat, price_close)) as exact
from payouts
where paid_value is distinct from to_cents(fiat_exact(paid_sat, price_close))
