-- One row per worker/stats snapshot of an account: its worker counts and its hashrate over the
-- last 1, 5 and 15 minutes in H/s, with the pool-zone day the snapshot was taken on.
-- column run_id VARCHAR: the run that fetched it: its UTC start time and 8 random hex digits
--     (`20261201T195204Z-dc2675e7`), so run ids sort by start
-- column fetched_at TIMESTAMP WITH TIME ZONE: when the pool's answer arrived (UTC)
-- column date DATE: the day fetched_at falls on in the pool's zone (the config's `timezone`):
--     the day `hashrate_daily` counts the snapshot in
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column puid BIGINT: the pool's sub-account id (the config's `puid`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC
-- column workers_active BIGINT: workers the pool counts as active (API `workers_active`)
-- column workers_inactive BIGINT: workers the pool counts as inactive (API `workers_inactive`;
--     the API does not say after how long a worker turns inactive)
-- column workers_dead BIGINT: workers the pool counts as dead (API `workers_dead`)
-- column workers_total BIGINT: all the account's workers, as reported (API `workers_total`)
-- column shares_1m_hs DOUBLE: the account's hashrate over the last minute, in H/s (API
--     `shares_1m` scaled by `shares_unit`: K, M, G, T, P, E = 10^3 ... 10^18)
-- column shares_5m_hs DOUBLE: the same over the last 5 minutes, in H/s (API `shares_5m`)
-- column shares_15m_hs DOUBLE: the same over the last 15 minutes, in H/s (API `shares_15m`)
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
