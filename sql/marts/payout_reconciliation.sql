-- One row per (account, coin) with earn-history: the history's totals against the pool's own
-- (its latest earn-stats snapshot), and how many findings `reconciliation_issues` holds for it.
-- key: account, coin
-- incremental: true
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; every
--     amount of the row is in this coin
-- column earned_sat BIGINT: everything the history says was earned and settled, in satoshi:
--     the sum of `daily_earnings.earnings_sat` over its settled days (a provisional row's
--     figure is the pool's running estimate of today, which earn-stats reports apart as
--     `earnings_today`)
-- column paid_sat BIGINT: everything the history says was paid, in satoshi: the sum of
--     `daily_earnings.paid_amount_sat`
-- column computed_unpaid_sat BIGINT: earned_sat - paid_sat, in satoshi
-- column reported_unpaid_sat BIGINT: the pool's unpaid balance, settled plus today's estimate,
--     in satoshi (earn-stats `unpaid`, latest snapshot); NULL when there is no snapshot
-- column reported_earnings_today_sat BIGINT: the pool's estimate of today's earnings, in
--     satoshi (earn-stats `earnings_today`, latest snapshot); NULL when there is no snapshot
-- column reported_total_paid_sat BIGINT: everything the pool says it has paid, in satoshi
--     (earn-stats `total_paid`, latest snapshot); NULL when there is no snapshot
-- column unpaid_diff_sat BIGINT: reported_unpaid_sat - reported_earnings_today_sat -
--     computed_unpaid_sat, in satoshi: 0 when they agree (else an `unpaid_mismatch`
--     finding); NULL when there is no snapshot
-- column total_paid_diff_sat BIGINT: reported_total_paid_sat - paid_sat, in satoshi: 0 when
--     they agree (else a `total_paid_mismatch` finding); NULL when there is no snapshot
-- column issue_count BIGINT: how many rows `reconciliation_issues` has for the account and
--     coin, of every kind; 0 when none
-- column status VARCHAR: `ok` when issue_count is 0, else `mismatch`
with

totals as (
    select * from int_account_totals
),

issues as (
    -- every finding, also in an incremental build (the published table as this build has updated
    -- it, not only the findings it recomputed)
    select * from {{ all_rows('reconciliation_issues') }}
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
