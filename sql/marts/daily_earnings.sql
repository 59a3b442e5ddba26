-- One row per (account, coin, date): the latest observation of the day, with running sums.
with

days as (
    select * from stg_earn_history
),

running as (
    select
        *,
        sum(earnings_sat) over account_days as cumulative_earnings,
        sum(paid_amount_sat) over account_days as cumulative_paid
    from days
    window account_days as (
        partition by account, coin order by date rows between unbounded preceding and current row
    )
),

final as (
    select
        account,
        puid,
        coin,
        date,
        earnings_sat,
        cast(cast(earnings_sat as decimal(18, 0)) * 0.00000001 as decimal(18, 8)) as earnings_btc,
        paid_amount_sat,
        payment_tx,
        payment_time,
        payout_address,
        payment_mode,
        difficulty,
        earnings_rate_pct,
        cast(cumulative_earnings as bigint) as cumulative_earnings_sat,
        cast(cumulative_paid as bigint) as cumulative_paid_sat,
        cast(cumulative_earnings - cumulative_paid as bigint) as unpaid_balance_sat,
        case
            when payment_tx is not null or paid_amount_sat > 0 then 'paid'
            when earnings_sat = 0 then 'empty'
            else 'unpaid'
        end as status
    from running
)

select * from final
