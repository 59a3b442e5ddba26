-- One row per (account, coin, payment_tx): a payout and the earning days it covered, from the
-- latest observation of each day, valued in the configured currency at the close of its UTC
-- day; a day paid in several payments counts in each of its payouts.
--
-- A payout's rows (the earn-history rows naming its tx) are each valued at the payout's price,
-- exactly: paid_amount_sat * price_close / 10^8 in DECIMAL(38,18), never rounded. Its
-- paid_value is their sum rounded once to the cent, half away from zero, which is
-- paid_sat * price_close / 10^8 rounded (a data test holds it to both); rounding each row
-- first could be a cent off.
-- key: account, coin, payment_tx
-- incremental: t.last_date >= s.keep_from
-- recent last: last_date
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; every
--     amount of the row is in this coin
-- column payment_tx VARCHAR: the payout's transaction id (earn-history `payment_tx`, trimmed)
-- column payment_time TIMESTAMP WITH TIME ZONE: when it was paid: the latest `payment_time` of
--     its rows (the pool's zoneless time read in the config's `timezone`, as an instant); NULL
--     when no row gives one
-- column address VARCHAR: the address it paid: the greatest `address` of its rows, trimmed;
--     NULL when no row gives one
-- column paid_sat BIGINT: what it paid, in satoshi: the sum of `paid_amount` over its rows
--     (one per day it covered; a pool may put the whole amount on one of them)
-- column earning_days BIGINT: how many days it covered (its rows: a payout names a day once)
-- column first_date DATE: the earliest day it covered (pool's day)
-- column last_date DATE: the latest day it covered (pool's day)
-- column price_date DATE: the UTC day whose close values it: the day of payment_time in UTC
--     (not the pool's zone); without a payment_time, the day after last_date (the day the
--     exports date it)
-- column price_currency VARCHAR: the currency it is valued in (`[prices] currency`; USD for a
--     config without a `[prices]` table), on every row, priced or not
-- column price_close DECIMAL(38,10): the price of one coin on price_date: the override's price
--     when the override file gives the date, else the close of the source's final candle;
--     NULL when there is none (not fetched, a gap, or not final yet), never 0
-- column price_source VARCHAR: where price_close came from: the source's name (`coinbase`) or
--     `override`; NULL when there is no price
-- column price_is_override BOOLEAN: whether price_close is the user's override; NULL when
--     there is no price
-- column paid_value DECIMAL(18,2): what it paid in price_currency: paid_sat * price_close /
--     10^8 computed exactly, then rounded once to the cent, half away from zero (the rounded
--     sum of its rows' exact values); NULL when there is no price, never 0
with

payouts as (
    select * from int_payouts
),

prices as (
    select * from int_valuation_prices
),

dated as (
    select
        *,
        coalesce(utc_day(payment_time), last_date + 1) as price_date
    from payouts
),

final as (
    select
        d.account,
        d.coin,
        d.payment_tx,
        d.payment_time,
        d.address,
        d.paid_sat,
        d.earning_days,
        d.first_date,
        d.last_date,
        d.price_date,
        {{ var('price_currency') }} as price_currency,
        p.close as price_close,
        p.source as price_source,
        p.is_override as price_is_override,
        value_to_cents(d.paid_sat, p.close) as paid_value
    from dated as d
    left join prices as p
        on d.coin = p.coin and d.price_date = p.date
)

select * from final
