-- Finding `tx_without_amount`: a payout whose rows sum to 0, dated on its last day.
with

payouts as (
    select * from int_payouts
),

final as (
    select
        account,
        coin,
        last_date as date,
        payment_tx,
        'tx_without_amount' as kind,
        cast(null as bigint) as expected_sat,
        paid_sat as actual_sat,
        'payment tx on ' || earning_days || ' day(s) with no paid amount' as detail
    from payouts
    where paid_sat = 0
)

select * from final
