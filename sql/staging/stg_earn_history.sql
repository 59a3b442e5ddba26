-- The latest observation of each (account, coin, date).
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
    diff_rate_pct
from stg_earn_history_observations
qualify row_number() over (
    partition by account, coin, date order by fetched_at desc, run_id desc
) = 1
