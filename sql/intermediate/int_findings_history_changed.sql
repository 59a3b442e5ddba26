-- Finding `history_changed`: a day's earnings changed after it was first reported non-zero
-- once ended, or a payment reported earlier is gone or has another amount (expected = old,
-- actual = new). A day unpaid before, or paid in part and now in full (a further payment
-- added), has not changed; for a day of several payments `payment_tx` lists their txids.
with

observed as not materialized (
    select * from int_changed_day_observations
),

earnings_changed as (
    select
        account,
        coin,
        date,
        payment_tx,
        'history_changed' as kind,
        previous_earnings_sat as expected_sat,
        earnings_sat as actual_sat,
        'earnings changed from ' || previous_earnings_sat || ' to ' || earnings_sat || ' sat'
        as detail
    from observed
    where was_non_zero and earnings_sat != previous_earnings_sat
),

payment_changed as (
    select
        account,
        coin,
        date,
        payment_tx,
        'history_changed' as kind,
        previous_paid_sat as expected_sat,
        paid_amount_sat as actual_sat,
        'payment changed from ' || previous_paid_sat || ' sat (tx '
        || coalesce(previous_payment_tx, 'none') || ') to ' || paid_amount_sat || ' sat (tx '
        || coalesce(payment_tx, 'none') || ')' as detail
    from observed
    where len(previous_payments) > 0 and not list_has_all(payments, previous_payments)
),

final as (
    select * from earnings_changed
    union all
    select * from payment_changed
)

select * from final
