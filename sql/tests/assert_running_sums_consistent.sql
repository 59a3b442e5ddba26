-- Running sums follow their recurrence: each day's cumulative figures are the previous day's
-- plus its own (the first day's are its own), and unpaid is earned minus paid.
with days as (
    select account, coin, date, earnings_sat, paid_amount_sat, cumulative_earnings_sat,
           cumulative_paid_sat, unpaid_balance_sat,
           lag(date) over (partition by account, coin order by date) as previous_date
    from daily_earnings
)

select d.account, d.coin, d.date
from days as d
left join days as p
    on d.account = p.account and d.coin = p.coin and p.date = d.previous_date
where
    d.cumulative_earnings_sat != coalesce(p.cumulative_earnings_sat, 0) + d.earnings_sat
    or d.cumulative_paid_sat != coalesce(p.cumulative_paid_sat, 0) + d.paid_amount_sat
    or d.unpaid_balance_sat != d.cumulative_earnings_sat - d.cumulative_paid_sat
