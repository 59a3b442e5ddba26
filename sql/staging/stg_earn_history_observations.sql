-- Every earn-history observation in the lake, typed; addresses and txids trimmed, "" as NULL.
-- A day is observed by every run that walked it, and a day paid in several payments is several
-- rows of one run, one per payment_tx (CONTRACT 1); `int_earn_history_observations` marks which
-- rows are the day's latest observation.
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
    trimmed_or_null(payment_tx) as payment_tx,
    trimmed_or_null(address) as payout_address,
    difficulty,
    payment_mode,
    earnings_rate_pct,
    diff_rate_pct
from {{ source('earn_history') }}
