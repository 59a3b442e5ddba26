-- One row per payout checked against the chain (Esplora): what the chain holds for it.
-- key: account, coin, payment_tx
with

payouts as (
    select * from payouts
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
