-- One row per (account, coin, payment_tx): a payout and the earning days it covered (each of
-- its own rows, so a day paid in several payments counts in each of its payouts).
-- key: account, coin, payment_tx
with

payouts as (
    select * from int_payouts
),

final as (
    select
        account,
        coin,
        payment_tx,
        payment_time,
        address,
        paid_sat,
        earning_days,
        first_date,
        last_date
    from payouts
)

select * from final
