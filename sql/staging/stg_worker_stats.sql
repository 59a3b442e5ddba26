-- worker/stats snapshots, once each, with the pool-zone day they fall on.
select
    run_id,
    fetched_at,
    cast(timezone({{ var('timezone') }}, fetched_at) as date) as date,
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
qualify row_number() over (partition by run_id, account order by fetched_at) = 1
