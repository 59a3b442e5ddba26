-- Running sums follow their recurrence: each day's cumulative figures are the previous day's
-- plus its own (the first day's are its own), and unpaid is earned minus paid.
with days as (
    select
        account,
        coin,
        date,
        earnings_sat,
        paid_amount_sat,
        cumulative_earnings_sat,
        cumulative_paid_sat,
        unpaid_balance_sat,
        lag(cumulative_earnings_sat) over account_days as previous_cumulative_earnings_sat,
        lag(cumulative_paid_sat) over account_days as previous_cumulative_paid_sat
    from daily_earnings
    window account_days as (partition by account, coin order by date)
)

select account, coin, date
from days
where
    cumulative_earnings_sat != coalesce(previous_cumulative_earnings_sat, 0) + earnings_sat
    or cumulative_paid_sat != coalesce(previous_cumulative_paid_sat, 0) + paid_amount_sat
    or unpaid_balance_sat != cumulative_earnings_sat - cumulative_paid_sat
