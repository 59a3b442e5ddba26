-- hashrate_daily has one row per (account, coin, date), none of them NULL.
select account, coin, date, count(*) as rows
from hashrate_daily
group by account, coin, date
having count(*) > 1 or account is null or coin is null or date is null
