-- Finding `negative_balance`: the first day of each stretch where paid exceeds earned.
with

days as (
    select * from int_days
),

balances as (
    select
        *,
        cumulative_earnings_sat - cumulative_paid_sat as unpaid_balance_sat,
        case
            when previous_date is not null
                then cumulative_earnings_sat - cumulative_paid_sat - earnings_sat + paid_amount_sat
        end as previous_balance
    from days
),

final as (
    select
        account,
        coin,
        date,
        cast(null as varchar) as payment_tx,
        'negative_balance' as kind,
        cumulative_earnings_sat as expected_sat,
        cumulative_paid_sat as actual_sat,
        'paid ' || -unpaid_balance_sat || ' sat more than earned so far' as detail
    from balances
    where unpaid_balance_sat < 0 and coalesce(previous_balance, 0) >= 0
)

select * from final
