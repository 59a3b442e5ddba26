-- The P&L adds up, to the cent: energy_cost is energy_kwh * price_per_kwh rounded once,
-- total_cost is energy_cost + fixed_cost, profit is earnings_value - total_cost. `is distinct
-- from` holds both ways: a figure whose inputs are all there is never missing, and one whose
-- input is missing is NULL (never a 0 standing in for it).
select account, coin, date, energy_cost, total_cost, profit
from daily_pnl
where
    energy_cost is distinct from cost_to_cents(energy_kwh, price_per_kwh)
    or total_cost is distinct from energy_cost + fixed_cost
    or profit is distinct from earnings_value - total_cost
