-- The latest observation of every day with everything that needs the days in order, computed
-- in one pass: running sums, and the previous day's date, earnings and difficulty.
with

days as (
    select * from stg_earn_history
),

final as (
    select
        account,
        puid,
        coin,
        date,
        earnings_sat,
        paid_amount_sat,
        payment_tx,
        payment_time,
        payout_address,
        payment_mode,
        difficulty,
        earnings_rate_pct,
        cast(sum(earnings_sat) over account_days as bigint) as cumulative_earnings_sat,
        cast(sum(paid_amount_sat) over account_days as bigint) as cumulative_paid_sat,
        lag(date) over account_days as previous_date,
        lag(earnings_sat) over account_days as previous_earnings_sat,
        lag(difficulty ignore nulls) over account_days as previous_difficulty
    from days
    window account_days as (partition by account, coin order by date)
)

select * from final
