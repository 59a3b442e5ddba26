-- realtime/hashrate snapshots, with the pool-zone day they fall on.
select
    run_id,
    fetched_at,
    pool_day(fetched_at) as date,
    account,
    puid,
    coin,
    shares_15m_hs,
    shares_1d_hs
from {{ source('hashrate') }}
