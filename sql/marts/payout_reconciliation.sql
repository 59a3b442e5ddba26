-- One row per (account, coin): the history's totals against the pool's, and the findings.
-- key: account, coin
with

totals as (
    select * from int_account_totals
),

issues as (
    select * from reconciliation_issues
),

issue_counts as (
    select account, coin, count(*) as issue_count
    from issues
    group by account, coin
),

counted as (
    select
        t.*,
        coalesce(i.issue_count, 0) as issue_count
    from totals as t
    left join issue_counts as i
        on t.account = i.account and t.coin = i.coin
),

final as (
    select
        account,
        coin,
        earned_sat,
        paid_sat,
        computed_unpaid_sat,
        reported_unpaid_sat,
        reported_earnings_today_sat,
        reported_total_paid_sat,
        unpaid_diff_sat,
        total_paid_diff_sat,
        issue_count,
        case when issue_count = 0 then 'ok' else 'mismatch' end as status
    from counted
)

select * from final
