-- The latest observation of each (account, coin, date): every row of the run that saw the day
-- last. A day paid in several payments is several rows, one per payment_tx (docs/pool-api.md), each
-- repeating the day's earnings; `int_days` makes them one day again, `int_payouts` keeps each.
-- materialized: view
with

observations as (
    select * from int_earn_history_observations
),

final as (
    select
        run_id,
        fetched_at,
        account,
        puid,
        coin,
        date,
        earnings_sat,
        paid_amount_sat,
        payment_time,
        payment_tx,
        payout_address,
        difficulty,
        payment_mode,
        earnings_rate_pct,
        diff_rate_pct,
        day_rows
    from observations
    where is_latest
)

select * from final
