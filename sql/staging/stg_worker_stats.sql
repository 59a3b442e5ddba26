-- worker/stats snapshots, with the pool-zone day they fall on.
select
    run_id,
    fetched_at,
    pool_day(fetched_at) as date,
    account,
    puid,
    coin,
    workers_active,
    workers_inactive,
    workers_dead,
    workers_total,
    shares_1m_hs,
    shares_5m_hs,
    shares_15m_hs
from {{ source('worker_stats') }}
