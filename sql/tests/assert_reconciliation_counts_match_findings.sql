-- Each account's issue_count is its number of findings, and status follows from it.
with counted as (
    select account, coin, count(*) as findings
    from reconciliation_issues
    group by account, coin
)

select r.account, r.coin, r.issue_count, coalesce(c.findings, 0) as findings, r.status
from payout_reconciliation as r
left join counted as c
    on r.account = c.account and r.coin = c.coin
where
    r.issue_count != coalesce(c.findings, 0)
    or r.status != case when r.issue_count = 0 then 'ok' else 'mismatch' end
