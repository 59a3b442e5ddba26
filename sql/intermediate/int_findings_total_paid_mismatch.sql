-- Finding `total_paid_mismatch`: the latest earn-stats' total paid is not what the history
-- paid (docs/warehouse.md, payout_reconciliation); dated on the pool-zone day of that snapshot.
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
        'total_paid_mismatch' as kind,
        paid_sat as expected_sat,
        reported_total_paid_sat as actual_sat,
        'earn-stats total_paid differs by ' || total_paid_diff_sat || ' sat from the history'
        as detail
    from totals
    where total_paid_diff_sat != 0
)

select * from final
