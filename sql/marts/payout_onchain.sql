-- One row per (account, coin, payment_tx) of `payouts` checked on chain (`poolbooks reconcile
-- --onchain`): what the pool paid beside what Esplora's latest check of the transaction found.
-- key: account, coin, payment_tx
-- incremental: true
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; every
--     amount of the row is in this coin
-- column payment_tx VARCHAR: the payout's transaction id
-- column address VARCHAR: the address the payout paid, per the earn-history (`payouts.address`);
--     NULL when none is given
-- column paid_sat BIGINT: what the pool says it paid, in satoshi (`payouts.paid_sat`)
-- column onchain_sat BIGINT: the sum of the transaction's outputs to the payout address on
--     chain, in satoshi; 0 when none pays it (or no address is known), NULL when not found
-- column confirmed BOOLEAN: whether the transaction was in a block at the latest check
-- column block_height BIGINT: the height of the block holding it; NULL unless confirmed
-- column block_time TIMESTAMP WITH TIME ZONE: that block's time (Esplora `block_time`, as an
--     instant); NULL unless confirmed
-- column found BOOLEAN: whether Esplora knew the transaction at the latest check (false: it
--     answered 404, or 400 for a txid that cannot be one; an `onchain_missing` finding)
-- column checked_at TIMESTAMP WITH TIME ZONE: when Esplora answered the latest check (UTC)
with

payouts as (
    -- every payout, also in an incremental build (the published table as this build has updated
    -- it, not only the payouts it recomputed)
    select * from {{ all_rows('payouts') }}
),

checks as (
    select * from stg_onchain_tx
),

final as (
    select
        p.account,
        p.coin,
        p.payment_tx,
        p.address,
        p.paid_sat,
        c.onchain_sat,
        c.confirmed,
        c.block_height,
        c.block_time,
        c.found,
        c.fetched_at as checked_at
    from payouts as p
    inner join checks as c
        on p.account = c.account and p.coin = c.coin and p.payment_tx = c.payment_tx
)

select * from final
