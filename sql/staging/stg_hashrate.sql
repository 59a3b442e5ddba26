-- One row per realtime/hashrate snapshot of an account: its hashrate over the last 15 minutes
-- and the last day, in H/s, with the pool-zone day the snapshot was taken on.
-- column run_id VARCHAR: the run that fetched it: its UTC start time and 8 random hex digits
--     (`20261201T195204Z-dc2675e7`), so run ids sort by start
-- column fetched_at TIMESTAMP WITH TIME ZONE: when the pool's answer arrived (UTC)
-- column date DATE: the day fetched_at falls on in the pool's zone (the config's `timezone`):
--     the day `hashrate_daily` counts the snapshot in
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column puid BIGINT: the pool's sub-account id (the config's `puid`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC
-- column shares_15m_hs DOUBLE: the account's hashrate over the last 15 minutes, in H/s (API
--     `shares_15m` scaled by `shares_15m_unit`: K, M, G, T, P, E = 10^3 ... 10^18)
-- column shares_1d_hs DOUBLE: the account's hashrate over the last 24 hours, in H/s (API
--     `shares_1d` scaled by `shares_1d_unit`)
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
