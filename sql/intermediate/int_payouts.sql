-- One row per (account, coin, payment_tx): a payout and the earning days it covered, from the
-- latest observation's rows (a day paid in several payments names each, so a payout's rows
-- are its own, not its days' last payment).
with

rows as (
    select * from int_paid_rows
),

final as (
    select
        account,
        coin,
        payment_tx,
        max(payment_time) as payment_time,
        max(payout_address) as address,
        sum_sat(paid_amount_sat) as paid_sat,
        -- a payout names a day at most once: (date, payment_tx) is a row's key
        count(*) as earning_days,
        min(date) as first_date,
        max(date) as last_date
    from rows
    where payment_tx is not null
    group by account, coin, payment_tx
)

select * from final
