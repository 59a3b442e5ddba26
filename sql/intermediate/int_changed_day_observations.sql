-- Each run's observation of a day whose observations disagree, as one figure per run (its
-- earnings, the sum of its payments, their txids, and each payment as 'tx:amount'; a day paid
-- in several payments is several rows of one run), in fetch order with the previous
-- observation's figures, and whether the day had been reported non-zero after it ended.
with

observations as (
    select * from int_earn_history_observations
),

observed_days as (
    -- only a day observed more than once (by several runs, or as several payments) can have
    -- changed: `day_rows` says which, with no aggregate over every day
    select
        account,
        coin,
        date,
        run_id,
        max(fetched_at) as fetched_at,
        max(earnings_sat) as earnings_sat,
        sum_sat(paid_amount_sat) as paid_amount_sat,
        string_agg(distinct payment_tx, ',' order by payment_tx) as payment_tx,
        coalesce(
            list(coalesce(payment_tx, '') || ':' || paid_amount_sat) filter (
                where payment_tx is not null or paid_amount_sat > 0
            ),
            []
        ) as payments
    from observations
    where day_rows > 1
    group by account, coin, date, run_id
),

changing_days as (
    -- the days whose observations disagree
    select account, coin, date
    from observed_days
    group by account, coin, date
    having
        min(earnings_sat) != max(earnings_sat)
        or min(paid_amount_sat) != max(paid_amount_sat)
        or min(coalesce(payment_tx, '')) != max(coalesce(payment_tx, ''))
),

final as (
    select
        o.*,
        lag(earnings_sat) over history as previous_earnings_sat,
        lag(paid_amount_sat) over history as previous_paid_sat,
        lag(payment_tx) over history as previous_payment_tx,
        lag(payments) over history as previous_payments,
        -- an estimate fetched while its day was still running (in the pool's zone) is
        -- provisional: settling it at another figure is normal, not a change
        coalesce(
            bool_or(earnings_sat > 0 and pool_day_ended(date, fetched_at)) over earlier,
            false
        ) as was_non_zero
    from observed_days as o
    semi join changing_days as c
        on o.account = c.account and o.coin = c.coin and o.date = c.date
    window
        history as (partition by account, coin, date order by fetched_at, run_id),
        earlier as (
            partition by account, coin, date order by fetched_at, run_id
            rows between unbounded preceding and 1 preceding
        )
)

select * from final
