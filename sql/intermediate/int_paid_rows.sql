-- The rows of each day's latest observation that carry a payment: a payment_tx, a paid amount
-- or a payment time. The payouts, the findings about payments and their data tests read these
-- few rows, so the build can let go of every observation once the days are built.
with

rows as (
    select * from int_earn_history
),

final as (
    select
        account,
        coin,
        date,
        payment_tx,
        payment_time,
        payout_address,
        paid_amount_sat
    from rows
    where payment_tx is not null or paid_amount_sat <> 0 or payment_time is not null
)

select * from final
