-- Every earn-history observation in the lake, typed; addresses and txids trimmed, "" as NULL.
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
    nullif(regexp_replace(payment_tx, '^\s+|\s+$', '', 'g'), '') as payment_tx,
    nullif(regexp_replace(address, '^\s+|\s+$', '', 'g'), '') as payout_address,
    difficulty,
    payment_mode,
    earnings_rate_pct,
    diff_rate_pct
from {{ source('earn_history') }}
