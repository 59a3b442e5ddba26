-- One row per (account, coin, pool-zone day) with at least one realtime/hashrate snapshot: the
-- day's hashrate (mean, min and max of the 15-minute figure) and its worker counts.
--
-- `poolbooks snapshot` takes hashrate and worker stats together, so a day with worker stats
-- alone is rare and has no row: `snapshots` counts what the hashrate figures are the mean of,
-- never 0.
-- key: account, coin, date
-- incremental: t.date >= s.snapshots_keep_from
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC
-- column date DATE: the day the snapshots were taken on, in the pool's zone (the config's
--     `timezone`)
-- column snapshots BIGINT: how many realtime/hashrate snapshots the day has (1 or more): what
--     the three hashrate figures are computed over
-- column hashrate_mean_hs DOUBLE: the mean of the snapshots' 15-minute hashrate
--     (`stg_hashrate.shares_15m_hs`), in H/s
-- column hashrate_min_hs DOUBLE: the lowest of them, in H/s
-- column hashrate_max_hs DOUBLE: the highest of them, in H/s
-- column workers_active_mean DOUBLE: the mean of `workers_active` over the day's worker/stats
--     snapshots; NULL when the day has none
-- column workers_inactive_max BIGINT: the most workers counted inactive in one of the day's
--     worker/stats snapshots; NULL when the day has none
-- column workers_dead_max BIGINT: the most workers counted dead in one of the day's
--     worker/stats snapshots; NULL when the day has none
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
