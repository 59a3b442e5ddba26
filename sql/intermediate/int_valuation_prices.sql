-- The prices receipts are valued at: `int_daily_prices` in the configured currency only
-- (`[prices] currency`; USD for a config without a `[prices]` table), one close per (coin,
-- UTC date), an override's or else the source's final candle. A coin and day without one has
-- no row here, and its receipts no value.
-- materialized: view
-- key: coin, date
with

prices as (
    select * from int_daily_prices
),

final as (
    select
        coin,
        date,
        currency,
        close,
        source,
        is_override
    from prices
    where currency = {{ var('price_currency') }}
)

select * from final
