-- Every value is its amount at its close, rounded once to the cent half away from zero: within
-- half a cent of amount_sat * price_close / 10^8 (computed here from the coins, not by the
-- models' macros), and a value exactly half a cent off lies away from zero. A value is NULL
-- exactly when its price is, and a price has its source.
with

days as (
    select
        'daily_earnings' as model,
        account,
        coin,
        cast(date as varchar) as what,
        cast(earnings_sat as decimal(18, 0)) * 0.00000001 * price_close as exact,
        earnings_value as value,
        price_close,
        price_source
    from daily_earnings
),

paid as (
    select
        'payouts' as model,
        account,
        coin,
        payment_tx as what,
        cast(paid_sat as decimal(18, 0)) * 0.00000001 * price_close as exact,
        paid_value as value,
        price_close,
        price_source
    from payouts
),

checked as (
    select * from days
    union all
    select * from paid
)

select model, account, coin, what, exact, value, price_close, price_source
from checked
where
    (value is null) != (price_close is null)
    or (price_source is null) != (price_close is null)
    or price_close <= 0
    or abs(exact - value) > 0.005
    or (abs(exact - value) = 0.005 and abs(value) < abs(exact))
