-- Finding `paid_without_tx`: a row of a day's latest observation with a paid amount and no tx.
with

rows as (
    select * from int_paid_rows
),

final as (
    select
        account,
        coin,
        date,
        cast(null as varchar) as payment_tx,
        'paid_without_tx' as kind,
        paid_amount_sat as expected_sat,
        cast(null as bigint) as actual_sat,
        'paid ' || paid_amount_sat || ' sat with no payment tx' as detail
    from rows
    where paid_amount_sat > 0 and payment_tx is null
)

select * from final
