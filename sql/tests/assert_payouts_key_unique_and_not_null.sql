-- payouts has one row per (account, coin, payment_tx), none of them NULL.
select account, coin, payment_tx, count(*) as rows
from payouts
group by account, coin, payment_tx
having count(*) > 1 or account is null or coin is null or payment_tx is null
