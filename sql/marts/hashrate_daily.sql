-- One row per (account, coin, pool-zone day) with hashrate snapshots: hashrate from
-- realtime/hashrate (the 15-minute figure), workers from worker/stats (NULL when that day had
-- none). `poolbooks snapshot` takes both together, so a day with worker stats alone is rare and
-- has no row: `snapshots` counts what the hashrate figures are the mean of, never 0.
-- key: account, coin, date
with

hashrate as (
    select * from stg_hashrate
),

workers as (
    select * from stg_worker_stats
),

hashrate_days as (
    select
        account,
        coin,
        date,
        count(*) as snapshots,
        avg(shares_15m_hs) as hashrate_mean_hs,
        min(shares_15m_hs) as hashrate_min_hs,
        max(shares_15m_hs) as hashrate_max_hs
    from hashrate
    group by account, coin, date
),

worker_days as (
    select
        account,
        coin,
        date,
        avg(workers_active) as workers_active_mean,
        max(workers_inactive) as workers_inactive_max,
        max(workers_dead) as workers_dead_max
    from workers
    group by account, coin, date
),

final as (
    select
        h.account,
        h.coin,
        h.date,
        h.snapshots,
        h.hashrate_mean_hs,
        h.hashrate_min_hs,
        h.hashrate_max_hs,
        w.workers_active_mean,
        w.workers_inactive_max,
        w.workers_dead_max
    from hashrate_days as h
    left join worker_days as w
        on h.account = w.account and h.coin = w.coin and h.date = w.date
)

select * from final
