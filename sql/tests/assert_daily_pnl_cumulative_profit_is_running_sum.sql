-- cumulative_profit follows its recurrence over the days that have a profit: each such day's is
-- the last such day's plus its own profit (the first one's is its own), and
-- cumulative_profit_days counts them. Days without a profit have neither
-- (assert_daily_pnl_missing_inputs_give_nulls).
with

days as (
    select
        account,
        coin,
        date,
        profit,
        cumulative_profit,
        cumulative_profit_days,
        lag(cumulative_profit) over account_days as previous_cumulative_profit,
        lag(cumulative_profit_days) over account_days as previous_days
    from daily_pnl
    where profit is not null
    window account_days as (partition by account, coin order by date)
)

select account, coin, date, profit, cumulative_profit, cumulative_profit_days
from days
where
    cumulative_profit is distinct from coalesce(previous_cumulative_profit, 0) + profit
    or cumulative_profit_days is distinct from coalesce(previous_days, 0) + 1
