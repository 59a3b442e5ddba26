-- One row per entry of `[costs] fixed` in the config the warehouse was built with: the farm's
-- fixed costs per calendar month (hosting, rent) from start_date until the day before the next
-- entry's (the last entry holds on). `daily_pnl` shares each day's part among the accounts that
-- have a settled day then. Fixed costs are optional: a day before the first entry has none (0).
-- key: start_date
-- column start_date DATE: the entry's `from`: the first day (a pool day) the amount is in force
-- column per_month DECIMAL(18,2): the entry's `per_month`: the fixed costs of a whole calendar
--     month for the whole farm, in currency, exact
-- column currency VARCHAR: the currency of the amount: the prices' (`[prices] currency`; USD
--     for a config without a `[prices]` table)
select
    start_date,
    per_month,
    {{ var('price_currency') }} as currency
from {{ config('fixed_costs') }}
