"""The report's longer queries of the warehouse's marts, settled days only (not provisional)."""

# The biggest earners of each coin in turn (satoshi of two coins are never compared).
RANKING_SQL = """
with earned as (
    select account, coin, cast(sum(earnings_sat) as bigint) as earned_sat
    from daily_earnings where not provisional group by account, coin
)
select account, coin, earned_sat,
    row_number() over (partition by coin order by earned_sat desc, account) as place
from earned order by place, coin, account
"""

MONTHLY_SQL = """
with months as (
    select account, coin, cast(date_trunc('month', date) as date) as month,
        cast(sum(earnings_sat) as bigint) as earnings_sat, count(*) as days
    from daily_earnings where not provisional and account in (select unnest($accounts))
    group by account, coin, month
)
select account, coin, month, earnings_sat, days, days < day(last_day(month)) as partial
from months order by account, month
"""

# What the pool owed at the end of each of the last $span days: settled earnings to date
# less the payouts made to date (by their day in the pool's zone; one without a time, the day
# after its last day).
UNPAID_SQL = """
with events as (
    select account, coin, date, earnings_sat as earned_sat, 0 as paid_sat
    from daily_earnings where not provisional and account in (select unnest($accounts))
    union all
    select account, coin, coalesce(pool_day(payment_time), last_date + 1), 0, paid_sat
    from payouts where account in (select unnest($accounts))
),
days as (
    select account, coin, date, sum(earned_sat) as earned_sat, sum(paid_sat) as paid_sat
    from events group by account, coin, date
)
select account, coin, date,
    cast(sum(earned_sat) over running - sum(paid_sat) over running as bigint) as unpaid_sat
from days
window running as (partition by account, coin order by date)
qualify date <= $last and date > $last - $span
order by account, date
"""

YEARLY_SQL = """
with earned as (
    select year(date) as year, coin, count(distinct account) as accounts, count(*) as days,
        min(date) as first_date, max(date) as last_date,
        cast(sum(earnings_sat) as bigint) as earned_sat
    from daily_earnings where not provisional group by all
),
paid as (
    select year(pool_day(payment_time)) as year, coin, count(*) as payouts,
        cast(sum(paid_sat) as bigint) as paid_sat
    from payouts where payment_time is not null group by all
)
select year, coin, coalesce(e.accounts, 0) as accounts, coalesce(e.days, 0) as days,
    e.first_date, e.last_date, coalesce(e.earned_sat, 0) as earned_sat,
    coalesce(p.payouts, 0) as payouts, coalesce(p.paid_sat, 0) as paid_sat
from earned as e full join paid as p using (year, coin)
order by year, coin
"""

# The P&L of the whole farm per month, over the days that have a profit (so that revenue less
# cost is the profit); a month those days do not fill is partial.
PNL_MONTHLY_SQL = """
with months as (
    select cast(date_trunc('month', date) as date) as month,
        sum(earnings_value) as revenue, sum(total_cost) as cost, sum(profit) as profit,
        count(distinct date) as days
    from daily_pnl where profit is not null
    group by month
)
select month, revenue, cost, profit, days, days < day(last_day(month)) as partial
from months order by month
"""

# Each account's P&L over its days that have a profit: revenue - energy - fixed = profit.
PNL_ACCOUNTS_SQL = """
select account, coin, any_value(price_currency) as price_currency, count(*) as days,
    count(profit) as costed_days,
    min(date) filter (profit is not null) as first_date,
    max(date) filter (profit is not null) as last_date,
    sum(earnings_value) filter (profit is not null) as revenue,
    sum(energy_cost) filter (profit is not null) as energy_cost,
    sum(fixed_cost) filter (profit is not null) as fixed_cost,
    sum(profit) as profit
from daily_pnl
group by account, coin
order by account
"""
