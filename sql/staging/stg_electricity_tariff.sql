-- One row per entry of `[costs] electricity` in the config the warehouse was built with: the
-- price of a kilowatt-hour from start_date until the day before the next entry's (the last
-- entry holds on). A day before the first entry has no tariff: its energy has no cost (NULL),
-- never 0.
-- key: start_date
-- column start_date DATE: the entry's `from`: the first day (a pool day, as `date` in the
--     marts) the price is in force
-- column price_per_kwh DECIMAL(18,6): the entry's `price_per_kwh`: the price of one
--     kilowatt-hour in currency, exact (up to 6 places)
-- column currency VARCHAR: the currency of the price: the prices' (`[prices] currency`; USD
--     for a config without a `[prices]` table)
select
    start_date,
    price_per_kwh,
    {{ var('price_currency') }} as currency
from {{ config('electricity_tariff') }}
