-- The latest observation of every day as one row, with everything that needs the days in
-- order, computed in one pass: running sums, and the previous day's date, earnings and
-- difficulty. A day paid in several payments arrives as several rows: its earnings count once,
-- its paid amounts add up, and its payment fields are those of its last payment (latest time,
-- then greatest txid).
with

rows as (
    select * from stg_earn_history
),

days as (
    select
        account,
        coin,
        date,
        any_value(puid) as puid,
        max(earnings_sat) as earnings_sat,
        cast(sum(paid_amount_sat) as bigint) as paid_amount_sat,
        cast(count(distinct payment_tx) as integer) as payments,
        arg_max(payment_tx, last_payment) as payment_tx,
        arg_max(payment_time, last_payment) as payment_time,
        arg_max(payout_address, last_payment) as payout_address,
        any_value(payment_mode) as payment_mode,
        any_value(difficulty) as difficulty,
        any_value(earnings_rate_pct) as earnings_rate_pct
    from (
        select
            *,
            -- orders a day's payments: those with a tx, by time, then by txid
            case
                when payment_tx is not null
                    then (coalesce(payment_time, timestamptz '1970-01-01 00:00:00+00'), payment_tx)
            end as last_payment
        from rows
    )
    group by account, coin, date
),

final as (
    select
        account,
        puid,
        coin,
        date,
        earnings_sat,
        paid_amount_sat,
        payments,
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
