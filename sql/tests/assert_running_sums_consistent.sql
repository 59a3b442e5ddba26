-- Running sums are the sums of the days up to each date, and unpaid is earned minus paid.
with recomputed as (
    select
        account,
        coin,
        date,
        cumulative_earnings_sat,
        cumulative_paid_sat,
        unpaid_balance_sat,
        sum(earnings_sat) over account_days as expected_earnings,
        sum(paid_amount_sat) over account_days as expected_paid
    from daily_earnings
    window account_days as (partition by account, coin order by date)
)

select *
from recomputed
where
    cumulative_earnings_sat != expected_earnings
    or cumulative_paid_sat != expected_paid
    or unpaid_balance_sat != cumulative_earnings_sat - cumulative_paid_sat
