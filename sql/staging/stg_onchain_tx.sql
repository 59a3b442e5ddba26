-- The latest Esplora check of each payout transaction.
select
    run_id,
    fetched_at,
    account,
    coin,
    payment_tx,
    trimmed_or_null(address) as address,
    found,
    confirmed,
    block_height,
    block_time,
    onchain_sat
from {{ source('onchain_tx') }}
qualify row_number() over (
    partition by account, coin, payment_tx order by fetched_at desc, run_id desc
) = 1
