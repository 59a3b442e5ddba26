-- Finding `onchain_missing`: Esplora's latest check of a payout found no such transaction.
with

payouts as (
    select * from int_payouts
),

checks as (
    select * from stg_onchain_tx
),

final as (
    select
        p.account,
        p.coin,
        p.last_date as date,
        p.payment_tx,
        'onchain_missing' as kind,
        p.paid_sat as expected_sat,
        cast(null as bigint) as actual_sat,
        'the chain has no such transaction' as detail
    from payouts as p
    inner join checks as c
        on p.account = c.account and p.coin = c.coin and p.payment_tx = c.payment_tx
    where not c.found
)

select * from final
