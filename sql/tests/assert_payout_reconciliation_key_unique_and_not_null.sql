-- payout_reconciliation has one row per (account, coin).
select account, coin, count(*) as rows
from payout_reconciliation
group by account, coin
having count(*) > 1 or account is null or coin is null
