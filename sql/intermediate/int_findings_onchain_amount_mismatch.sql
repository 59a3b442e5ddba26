-- Finding `onchain_amount_mismatch`: the outputs of the payout's transaction to its address sum
-- to another amount than the pool paid (Esplora's latest check).
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
        'onchain_amount_mismatch' as kind,
        p.paid_sat as expected_sat,
        c.onchain_sat as actual_sat,
        'outputs to ' || coalesce(p.address, 'no address') || ' sum to ' || c.onchain_sat
        || ' sat, the pool paid ' || p.paid_sat || ' sat' as detail
    from payouts as p
    inner join checks as c
        on p.account = c.account and p.coin = c.coin and p.payment_tx = c.payment_tx
    where c.found and c.onchain_sat is distinct from p.paid_sat
)

select * from final
