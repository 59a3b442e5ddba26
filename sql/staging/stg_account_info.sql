-- One row per account/info snapshot (an account's answer to one ingest or snapshot run): the
-- pool's user fields and the payout address it has on file for the account.
--
-- The payout address trimmed of whitespace, "" as NULL.
-- column run_id VARCHAR: the run that fetched it: its UTC start time and 8 random hex digits
--     (`20261201T195204Z-dc2675e7`), so run ids sort by start
-- column fetched_at TIMESTAMP WITH TIME ZONE: when the pool's answer arrived (UTC)
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column puid BIGINT: the pool's sub-account id (the config's `puid`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC
-- column user_id BIGINT: the pool's user id (API `user_id`); NULL when the answer has none
-- column user_name VARCHAR: the account's user name at the pool (API `user_name`); NULL when
--     absent
-- column payout_address VARCHAR: the address the pool pays the account to (API `address`),
--     trimmed; NULL when empty. `address_mismatch` findings compare payouts with these
-- column region VARCHAR: the pool's region name as reported (API `region`, e.g. `America`),
--     not the config's region code; NULL when absent
select
    run_id,
    fetched_at,
    account,
    puid,
    coin,
    user_id,
    user_name,
    trimmed_or_null(address) as payout_address,
    region
from {{ source('account_info') }}
