-- One row per (account, coin, date): the latest observation of the day, with running sums. A
-- day paid in several payments is one row: `payments` says how many, `payouts` has each.
-- `provisional` marks the pool's unsettled today row: charts and totals of settled days skip it.
-- key: account, coin, date
with

days as (
    select * from int_days
),

final as (
    select
        account,
        puid,
        coin,
        date,
        earnings_sat,
        cast(cast(earnings_sat as decimal(18, 0)) * 0.00000001 as decimal(18, 8)) as earnings_btc,
        -- the same amount (the alias above, computed once) in whole coins of the row's coin,
        -- BCH for a BCH account: the name to prefer; earnings_btc stays for its readers
        earnings_btc as earnings_coin,
        paid_amount_sat,
        payment_tx,
        payment_time,
        payout_address,
        payment_mode,
        difficulty,
        earnings_rate_pct,
        cumulative_earnings_sat,
        cumulative_paid_sat,
        cumulative_earnings_sat - cumulative_paid_sat as unpaid_balance_sat,
        case
            when payment_tx is not null or paid_amount_sat > 0 then 'paid'
            when earnings_sat = 0 then 'empty'
            else 'unpaid'
        end as status,
        payments,
        provisional
    from days
)

select * from final
