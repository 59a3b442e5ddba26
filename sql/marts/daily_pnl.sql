-- One row per (account, coin, date) of the settled days of `daily_earnings` (the pool's
-- provisional today row is left out): the day's mining profit and loss in the configured
-- currency. What it earned (valued as in `daily_earnings`), what its energy cost at the tariff
-- in force, its share of the farm's fixed costs, the profit, its running sum, the hashprice it
-- realised against the network's, and the prices at which the day would have broken even.
--
-- Every amount of money is an exact DECIMAL, computed exactly and rounded once, half away from
-- zero (docs/pnl.md): amounts to the cent, the break-even tariff to 6 places. The hashprices
-- divide by a measured DOUBLE hashrate or start from a DOUBLE difficulty: computed in double
-- precision, rounded to 6 places. A figure whose inputs are missing (no price, no hashrate for
-- an efficiency-rated account, no power draw, no tariff that day) is NULL, never 0; the
-- figures built on it are NULL too.
-- key: account, coin, date
-- incremental: t.date >= s.keep_from
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; earnings
--     and prices are of this coin
-- column date DATE: the pool's day (as in `daily_earnings`); a settled day
-- column earnings_sat BIGINT: what the account earned that day, in satoshi of its coin (as in
--     `daily_earnings`)
-- column price_currency VARCHAR: the currency of every amount of the row (`[prices] currency`;
--     USD for a config without a `[prices]` table), on every row
-- column price_close DECIMAL(38,10): the close of one coin on `date` (UTC day), as in
--     `daily_earnings`; NULL when there is none
-- column price_source VARCHAR: where price_close came from (`coinbase` or `override`); NULL
--     when there is no price
-- column earnings_value DECIMAL(18,2): what the day earned in price_currency, as in
--     `daily_earnings` (earnings_sat * price_close / 10^8, rounded once to the cent); NULL
--     without a price
-- column hashrate_hs DOUBLE: the mean of the day's 15-minute hashrate snapshots, in H/s
--     (`hashrate_daily.hashrate_mean_hs`); NULL when the day has no snapshot
-- column energy_kwh DECIMAL(18,6): the energy the account's machines used that day, in kWh:
--     power_watts * 24 / 1000 for an account with `power_watts`, efficiency_j_per_th *
--     hashrate TH/s * 86400 / 3,600,000 for one with `efficiency_j_per_th` (hashrate in TH/s to
--     6 places, the product rounded to 6 places); NULL for an account with neither, and for an
--     efficiency-rated one on a day without hashrate
-- column price_per_kwh DECIMAL(18,6): the tariff in force that day (`[costs] electricity`, the
--     last entry from on or before `date`), in price_currency per kWh; NULL before the first
--     entry or without one
-- column energy_cost DECIMAL(18,2): energy_kwh * price_per_kwh, rounded once to the cent; NULL
--     without either
-- column fixed_cost DECIMAL(18,2): the day's share of the farm's fixed costs (`[costs] fixed`):
--     per_month / days in the calendar month / accounts with a settled row that day (any
--     coin), rounded to the cent, so the shares of a day differ from the day's amount by at
--     most half a cent each; 0 on a day no fixed cost is in force (fixed costs are optional)
-- column total_cost DECIMAL(18,2): energy_cost + fixed_cost; NULL without energy_cost
-- column profit DECIMAL(18,2): earnings_value - total_cost; NULL without either, negative for
--     a loss
-- column cumulative_profit DECIMAL(18,2): profit summed over the account's days up to and
--     including this one that have a profit (days without one add nothing); NULL on a day
--     without a profit
-- column cumulative_profit_days INTEGER: how many days cumulative_profit adds up: the days up
--     to and including this one that have a profit (fewer than the account's days when some
--     lack one); NULL on a day without a profit
-- column realised_hashprice DECIMAL(18,6): what one TH/s of the account's hashrate earned that
--     day, in price_currency per TH/s per day: earnings_sat * price_close / 10^8 (unrounded) /
--     (hashrate_hs / 10^12), in double precision, rounded to 6 places; NULL without a price or
--     hashrate, or when hashrate_hs is 0
-- column network_hashprice DECIMAL(18,6): what one TH/s earned that day at PPS on the block
--     subsidy alone, in price_currency per TH/s per day: 10^12 * 86400 * subsidy_sat /
--     (difficulty * 2^32) satoshi (`expected_pps`) / 10^8 * price_close, in double precision
--     (difficulty is a DOUBLE), rounded to 6 places. Block subsidy only, no transaction fees
--     (the Hashrate Index's hashprice counts fees too); NULL without a price, difficulty or
--     subsidy
-- column breakeven_price DECIMAL(18,2): the coin price at which the day's earnings would have
--     paid its costs: total_cost / (earnings_sat / 10^8), to the cent; NULL without total_cost
--     or when the day earned 0
-- column breakeven_power_price DECIMAL(18,6): the tariff at which the day's value would have
--     paid its energy and fixed costs: (earnings_value - fixed_cost) / energy_kwh, per kWh to 6
--     places (negative when the value does not pay the fixed costs); NULL without
--     earnings_value or energy_kwh, or when energy_kwh is 0. It needs no tariff
with

earnings as not materialized (
    -- day_id (the row's place in the table) joins the running sums back on one integer
    select *, rowid as day_id from daily_earnings
),

hashrate as (
    select * from {{ all_rows('hashrate_daily') }}
),

subsidy as (
    select * from int_subsidy_days
),

cost_days as (
    select * from int_cost_days
),

power as (
    select * from stg_account_power
),

carried as (
    -- an incremental build's running sums of the days before those it recomputes (empty in a
    -- full build)
    select * from {{ carry_in() }}
),

accounts_per_day as (
    -- the accounts the farm's fixed costs are shared among on each day: those with a settled
    -- day, of the whole farm (also in an incremental build, which recomputes some accounts)
    select
        date,
        count(*) as accounts
    from {{ all_rows('daily_earnings') }}
    where not provisional
    group by date
),

day_costs as (
    -- per day: the tariff in force, and each account's share of the fixed costs to the cent
    select
        a.date,
        c.price_per_kwh,
        to_cents(
            round_div(
                scaled(coalesce(c.fixed_per_month, 0), 100), day(last_day(a.date)) * a.accounts
            ) * 0.01
        ) as fixed_cost
    from accounts_per_day as a
    left join cost_days as c
        on a.date = c.date
),

draws as (
    -- each account's draw: a constant day's energy (24 h / 1000 = 0.024), or its efficiency
    select
        account,
        cast(cast(power_watts as decimal(38, 3)) * 0.024 as decimal(18, 6)) as constant_kwh,
        efficiency_j_per_th
    from power
),

settled as not materialized (
    -- read twice (the rows, and their running sums): joined again rather than copied, which
    -- would hold every settled day in memory at once
    select
        e.day_id,
        e.account,
        e.coin,
        e.date,
        e.earnings_sat,
        e.price_currency,
        e.price_close,
        e.price_source,
        e.earnings_value,
        h.hashrate_mean_hs as hashrate_hs,
        try_cast(h.hashrate_mean_hs / 1e12 as decimal(18, 6)) as hashrate_ths,
        -- satoshi one TH/s earns in the day at PPS on the subsidy (a DOUBLE: so is difficulty)
        expected_pps(1e12, s.subsidy_sat, e.difficulty) as network_sat_per_th,
        w.constant_kwh,
        w.efficiency_j_per_th,
        c.price_per_kwh,
        c.fixed_cost
    from earnings as e
    inner join day_costs as c
        on e.date = c.date
    left join hashrate as h
        on e.account = h.account and e.coin = h.coin and e.date = h.date
    left join subsidy as s
        on e.coin = s.coin and e.date = s.date
    left join draws as w
        on e.account = w.account
    where not e.provisional
),

energy as (
    select
        *,
        coalesce(
            constant_kwh,
            cast(
                round(
                    cast(efficiency_j_per_th as decimal(38, 3)) * hashrate_ths * 0.024, 6
                ) as decimal(18, 6)
            )
        ) as energy_kwh
    from settled
),

costs as (
    select
        *,
        cost_to_cents(energy_kwh, price_per_kwh) as energy_cost
    from energy
),

profits as not materialized (
    select
        *,
        cast(energy_cost + fixed_cost as decimal(18, 2)) as total_cost,
        cast(earnings_value - energy_cost - fixed_cost as decimal(18, 2)) as profit
    from costs
),

ratios as (
    select
        *,
        -- quotients of exact amounts, rounded half away from zero exactly: on 64-bit integers
        -- while they fit (the whole-unit figures below 10^18), else on 128-bit ones
        case
            when total_cost is null then null
            when total_cost < 100000000
                then round_div(cast(total_cost * 100 as bigint) * 100000000, earnings_sat)
            else round_div(scaled(total_cost, 10000000000), earnings_sat)
        end as breakeven_cents,
        case
            when earnings_value is null or energy_kwh is null then null
            when abs(earnings_value - fixed_cost) < 1000000 and energy_kwh < 1000000
                then round_div(
                    (cast(earnings_value * 100 as bigint) - cast(fixed_cost * 100 as bigint))
                    * 10000000000,
                    cast(energy_kwh * 1000000 as bigint)
                )
            else round_div(
                scaled(earnings_value - fixed_cost, 1000000000000), scaled(energy_kwh, 1000000)
            )
        end as breakeven_power_micro
    from profits
),

running as (
    -- the running sums over the days that have a profit, sorted on those days' keys alone and
    -- joined back on day_id: less memory than carrying every column through the sort
    -- (whole cents summed as DOUBLE: exact while an account's sums stay below 2^53 cents,
    -- about 9 * 10^13; a data test checks them against the decimals)
    select
        day_id,
        sum(cast(profit * 100 as double)) over days as cumulative_cents,
        row_number() over days as cumulative_days
    from profits
    where profit is not null
    window days as (
        partition by account, coin order by date rows between unbounded preceding and current row
    )
),

final as (
    select
        r.account,
        r.coin,
        r.date,
        earnings_sat,
        price_currency,
        price_close,
        price_source,
        earnings_value,
        hashrate_hs,
        energy_kwh,
        price_per_kwh,
        energy_cost,
        fixed_cost,
        total_cost,
        profit,
        cast(
            (cast(u.cumulative_cents as bigint) + coalesce(c.carried_profit_cents, 0)) * 0.01
            as decimal(18, 2)
        ) as cumulative_profit,
        cast(u.cumulative_days + coalesce(c.carried_profit_days, 0) as integer)
            as cumulative_profit_days,
        -- over a measured DOUBLE hashrate and from a DOUBLE difficulty: rounded to 6 places
        cast(
            round(
                earnings_sat * cast(price_close as double) / 1e8 / nullif(hashrate_hs / 1e12, 0),
                6
            )
            as decimal(18, 6)
        ) as realised_hashprice,
        cast(
            round(network_sat_per_th * cast(price_close as double) / 1e8, 6) as decimal(18, 6)
        ) as network_hashprice,
        cast(breakeven_cents * 0.01 as decimal(18, 2)) as breakeven_price,
        cast(breakeven_power_micro * 0.000001 as decimal(18, 6)) as breakeven_power_price
    from ratios as r
    left join running as u
        on r.day_id = u.day_id
    left join carried as c
        on u.day_id is not null and r.account = c.account and r.coin = c.coin
)

select * from final
