-- Public pool statistics per host and scope (node or merged).
select
    run_id,
    fetched_at,
    host,
    coin,
    scope,
    shares_1m_hs,
    shares_5m_hs,
    shares_15m_hs,
    reject_1m,
    reject_5m,
    reject_15m,
    workers,
    users
from {{ source('pool_stats') }}
