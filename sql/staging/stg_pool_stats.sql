-- One row per public pool-statistics snapshot of a pool host and scope: the whole pool's
-- hashrate, reject rates, workers and users (not an account's), fetched with no access key.
-- column run_id VARCHAR: the run that fetched it: its UTC start time and 8 random hex digits
--     (`20261201T195204Z-dc2675e7`), so run ids sort by start
-- column fetched_at TIMESTAMP WITH TIME ZONE: when the pool's answer arrived (UTC)
-- column host VARCHAR: the API host asked (`host` or `host:port` of the account's API base URL,
--     e.g. `us-pool.api.btc.com`)
-- column coin VARCHAR: the coin of the account the host was asked for: BTC, BCH, SBTC or UBTC
-- column scope VARCHAR: `node` for that host's own node (`/public/v1/pool/stats`) or `merge`
--     for all the pool's nodes together (`/public/v1/pool/stats/merge`)
-- column shares_1m_hs DOUBLE: the pool's hashrate over the last minute, in H/s (API
--     `shares.shares_1m` scaled by `shares.shares_unit`: K, M, G, T, P, E = 10^3 ... 10^18)
-- column shares_5m_hs DOUBLE: the same over the last 5 minutes, in H/s (`shares.shares_5m`)
-- column shares_15m_hs DOUBLE: the same over the last 15 minutes, in H/s (`shares.shares_15m`)
-- column reject_1m DOUBLE: the pool's share reject rate over the last minute as reported (API
--     `reject.1m`; the API states no unit: its example shows 0.0007); 0 when absent
-- column reject_5m DOUBLE: the same over the last 5 minutes (API `reject.5m`); 0 when absent
-- column reject_15m DOUBLE: the same over the last 15 minutes (API `reject.15m`); 0 when absent
-- column workers BIGINT: workers connected to the pool in this scope (API `workers`)
-- column users BIGINT: users mining on the pool in this scope (API `users`)
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
