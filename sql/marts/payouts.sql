-- One row per (account, coin, payment_tx): a payout and the earning days it covered.
with

days as (
    select * from daily_earnings
),

final as (
    select
        account,
        coin,
        payment_tx,
        max(payment_time) as payment_time,
        max(payout_address) as address,
        cast(sum(paid_amount_sat) as bigint) as paid_sat,
        count(*) as earning_days,
        min(date) as first_date,
        max(date) as last_date
    from days
    where payment_tx is not null
    group by account, coin, payment_tx
)

select * from final
