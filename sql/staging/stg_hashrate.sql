-- realtime/hashrate snapshots, with the pool-zone day they fall on.
select
    run_id,
    fetched_at,
    cast(timezone({{ var('timezone') }}, fetched_at) as date) as date,
    account,
    puid,
    coin,
    shares_15m_hs,
    shares_1d_hs
from {{ source('hashrate') }}
