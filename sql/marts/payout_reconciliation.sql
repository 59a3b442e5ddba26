-- One row per (account, coin): the history's totals against the pool's, and the findings.
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

final as (
    select
        t.account,
        t.coin,
        t.earned_sat,
        t.paid_sat,
        t.computed_unpaid_sat,
        t.reported_unpaid_sat,
        t.reported_earnings_today_sat,
        t.reported_total_paid_sat,
        t.unpaid_diff_sat,
        t.total_paid_diff_sat,
        coalesce(i.issue_count, 0) as issue_count,
        case when coalesce(i.issue_count, 0) = 0 then 'ok' else 'mismatch' end as status
    from totals as t
    left join issue_counts as i
        on t.account = i.account and t.coin = i.coin
)

select * from final
