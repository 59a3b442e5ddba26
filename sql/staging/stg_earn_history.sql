-- The latest observation of each (account, coin, date): every row of the run that saw the day
-- last. A day paid in several payments is several rows, one per payment_tx (CONTRACT 1), each
-- repeating the day's earnings; `int_days` makes them one day again, `payouts` keeps each.
with

observations as (
    select * from stg_earn_history_observations
),

latest_runs as (
    -- the run that saw each day last (by fetch time, then run id)
    select account, coin, date, arg_max(run_id, (fetched_at, run_id)) as run_id
    from observations
    group by account, coin, date
)

select
    o.run_id,
    o.fetched_at,
    o.account,
    o.puid,
    o.coin,
    o.date,
    o.earnings_sat,
    o.paid_amount_sat,
    o.payment_time,
    o.payment_tx,
    o.payout_address,
    o.difficulty,
    o.payment_mode,
    o.earnings_rate_pct,
    o.diff_rate_pct
from observations as o
semi join latest_runs as l
    on o.account = l.account and o.coin = l.coin and o.date = l.date and o.run_id = l.run_id
