-- Finding `payment_before_earning`: a payment made before its day ended in the pool's zone.
with

rows as (
    select * from int_paid_rows
),

final as (
    select
        account,
        coin,
        date,
        payment_tx,
        'payment_before_earning' as kind,
        cast(null as bigint) as expected_sat,
        paid_amount_sat as actual_sat,
        'paid at ' || strftime(pool_time(payment_time), '%Y-%m-%d %H:%M:%S')
        || ' before the day ended' as detail
    from rows
    where
        payment_time is not null
        -- cheap first: no zone is a day behind UTC, so a payment two days or more after the
        -- day's UTC start came after the day ended; only the rest needs the zone's rules
        and epoch_us(payment_time) < (date - date '1970-01-01' + 2) * 86400000000
        and not pool_day_ended(date, payment_time)
)

select * from final
