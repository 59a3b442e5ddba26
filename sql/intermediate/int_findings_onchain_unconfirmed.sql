-- Finding `onchain_unconfirmed`: Esplora's latest check found the payout's transaction, not
-- yet confirmed.
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
        'onchain_unconfirmed' as kind,
        p.paid_sat as expected_sat,
        c.onchain_sat as actual_sat,
        'the transaction is not confirmed yet' as detail
    from payouts as p
    inner join checks as c
        on p.account = c.account and p.coin = c.coin and p.payment_tx = c.payment_tx
    where c.found and not c.confirmed
)

select * from final
