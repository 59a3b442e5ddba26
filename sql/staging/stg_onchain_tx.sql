-- One row per payout transaction checked on chain: Esplora's latest answer for each (account,
-- coin, payment_tx). A payout once found confirmed is not asked again, so its latest check is
-- the one that confirmed it.
-- column run_id VARCHAR: the on-chain check run that asked: its UTC start time and 8 random hex
--     digits (`20261201T195204Z-dc2675e7`), so run ids sort by start
-- column fetched_at TIMESTAMP WITH TIME ZONE: when Esplora answered (UTC)
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column coin VARCHAR: the account's coin from the config (BTC, BCH, SBTC or UBTC): the chain
--     asked, at the config's Esplora for that coin
-- column payment_tx VARCHAR: the payout's transaction id, as the earn-history names it
-- column address VARCHAR: the payout address whose outputs were summed (the earn-history's,
--     from the latest observation of the payout's days), trimmed; NULL when it names none
-- column found BOOLEAN: whether Esplora knew the transaction (false when it answered 404, or
--     400 for a txid that cannot be one)
-- column confirmed BOOLEAN: whether the transaction was in a block at the check
-- column block_height BIGINT: the height of the block holding it; NULL unless confirmed
-- column block_time TIMESTAMP WITH TIME ZONE: that block's time (Esplora `block_time`, as an
--     instant); NULL unless confirmed
-- column onchain_sat BIGINT: the sum of the transaction's outputs to `address`, in satoshi of
--     the coin; 0 when none pays it (or no address is known), NULL when not found
select
    run_id,
    fetched_at,
    account,
    coin,
    payment_tx,
    trimmed_or_null(address) as address,
    found,
    confirmed,
    block_height,
    block_time,
    onchain_sat
from {{ source('onchain_tx') }}
qualify row_number() over (
    partition by account, coin, payment_tx order by fetched_at desc, run_id desc
) = 1
