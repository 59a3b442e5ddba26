-- Finding `unpaid_mismatch`: the latest earn-stats' unpaid, less its earnings of today, is not
-- what the history leaves unpaid (docs/warehouse.md, payout_reconciliation); dated on the pool-zone day of that snapshot.
with

totals as (
    select * from int_account_totals
),

final as (
    select
        account,
        coin,
        pool_day(stats_fetched_at) as date,
        cast(null as varchar) as payment_tx,
        'unpaid_mismatch' as kind,
        computed_unpaid_sat + reported_earnings_today_sat as expected_sat,
        reported_unpaid_sat as actual_sat,
        'earn-stats unpaid differs by ' || unpaid_diff_sat || ' sat from the history' as detail
    from totals
    where unpaid_diff_sat != 0
)

select * from final
