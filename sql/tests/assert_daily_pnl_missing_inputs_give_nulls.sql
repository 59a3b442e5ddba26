-- A figure of daily_pnl whose input is missing is NULL, never 0: without a price there is no
-- value, profit, hashprice or break-even power price; without hashrate no realised hashprice;
-- without energy or a tariff no energy cost, total cost, profit or break-even price; without a
-- profit no cumulative profit, nor a count of the days it adds up.
select account, coin, date
from daily_pnl
where
    (
        price_close is null
        and coalesce(
            earnings_value, profit, realised_hashprice, network_hashprice, breakeven_power_price
        ) is not null
    )
    or (hashrate_hs is null and realised_hashprice is not null)
    or (
        energy_kwh is null
        and coalesce(energy_cost, total_cost, profit, breakeven_price, breakeven_power_price)
        is not null
    )
    or (
        price_per_kwh is null
        and coalesce(energy_cost, total_cost, profit, breakeven_price) is not null
    )
    or (profit is null and coalesce(cumulative_profit, cumulative_profit_days) is not null)
