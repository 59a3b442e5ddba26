-- payout_onchain has one row per checked (account, coin, payment_tx).
select account, coin, payment_tx, count(*) as rows
from payout_onchain
group by account, coin, payment_tx
having count(*) > 1 or account is null or coin is null or payment_tx is null
