-- Public pool statistics per host and scope (node or merged), once each.
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
qualify row_number() over (partition by run_id, host, scope order by fetched_at) = 1
