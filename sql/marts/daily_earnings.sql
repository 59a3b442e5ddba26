-- One row per (account, coin, date) of the pool's earn-history: the day's latest observation,
-- with running sums, and the day's earnings valued in the configured currency at the close of
-- its date. A day paid in several payments is one row (`payments` says how many; `payouts` has
-- each).
--
-- `provisional` marks the pool's unsettled today row: charts and totals of settled days skip it.
-- The value is the rule every valued figure follows (docs/warehouse.md, "Values"): the
-- pool's date is read as the UTC day of the price's candle, earnings_sat * close / 10^8 is
-- computed exactly and rounded once, to the cent, half away from zero.
-- key: account, coin, date
-- incremental: t.date >= s.keep_from
-- recent last: date
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column puid BIGINT: the pool's sub-account id (the config's `puid`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; every
--     amount of the row is in this coin
-- column date DATE: the pool's day (earn-history `date`), a day of the pool's zone (the
--     config's `timezone`)
-- column earnings_sat BIGINT: what the account earned that day, in satoshi of its coin
--     (earn-history `earnings`, counted once however many payments the day had)
-- column earnings_btc DECIMAL(18,8): earnings_sat in whole coins of the row's coin, exact
--     (BCH for a BCH account, despite the name); kept for existing queries: prefer earnings_coin
-- column earnings_coin DECIMAL(18,8): the same amount as earnings_btc: earnings_sat / 10^8,
--     exact, in whole coins of the row's coin (BCH for a BCH account); the name to prefer
-- column paid_amount_sat BIGINT: what the day's payments paid, in satoshi: the sum of
--     `paid_amount` over the day's rows; 0 when unpaid
-- column payment_tx VARCHAR: the transaction id of the day's last payment (latest
--     payment_time, then greatest txid), trimmed; NULL when the day has none
-- column payment_time TIMESTAMP WITH TIME ZONE: when that payment was made (the pool's
--     zoneless time read in the config's `timezone`, as an instant); NULL when none
-- column payout_address VARCHAR: the address that payment went to, trimmed; NULL when none
-- column payment_mode VARCHAR: the pool's payment scheme for the day as reported (PPS, FPPS,
--     PPLNS...); NULL when absent
-- column difficulty DOUBLE: the network difficulty of the day (earn-history `diff`); NULL when
--     absent
-- column earnings_rate_pct DOUBLE: the pool's day-over-day change of earnings, in percent, as
--     reported (earn-history `earnings_rate`); NULL when absent
-- column cumulative_earnings_sat BIGINT: earnings_sat summed over the account's days up to and
--     including this one, in satoshi
-- column cumulative_paid_sat BIGINT: paid_amount_sat summed over the account's days up to and
--     including this one, in satoshi
-- column unpaid_balance_sat BIGINT: cumulative_earnings_sat - cumulative_paid_sat, in satoshi:
--     earned and not yet paid; below 0 when more was paid than earned (then the first day
--     of that stretch is a `negative_balance` finding in `reconciliation_issues`)
-- column status VARCHAR: `paid` when the day has a payment tx or a paid amount, else `empty`
--     when it earned 0, else `unpaid`
-- column payments INTEGER: how many payments (distinct txids) the day's rows name: 0 when
--     unpaid, 2 or more for a day paid in several payments (`payouts` has each)
-- column provisional BOOLEAN: true for the pool's unsettled today row, whose figures will
--     change: last fetched before its day ended in the pool's zone, or the account's newest
--     day with nothing earned or paid and no tx yet; false for every settled day
-- column price_currency VARCHAR: the currency the day is valued in (`[prices] currency`; USD
--     for a config without a `[prices]` table), on every row, priced or not
-- column price_close DECIMAL(38,10): the price of one coin of the row's coin on `date`, read
--     as a UTC day: the close of that day's candle (an override's price when the override
--     file gives the date, else the source's final candle); NULL when there is none (not
--     fetched, a gap, or not final yet), never 0
-- column price_source VARCHAR: where price_close came from: the source's name (`coinbase`) or
--     `override`; NULL when there is no price
-- column earnings_value DECIMAL(18,2): what the day earned in price_currency:
--     earnings_sat * price_close / 10^8 computed exactly, then rounded once to the cent, half
--     away from zero (`value_to_cents`, sql/macros.sql); NULL when there is no
--     price, never 0
with

days as (
    select * from int_days
),

prices as (
    select * from int_valuation_prices
),

final as (
    select
        d.account,
        d.puid,
        d.coin,
        d.date,
        d.earnings_sat,
        cast(cast(d.earnings_sat as decimal(18, 0)) * 0.00000001 as decimal(18, 8))
            as earnings_btc,
        -- the same amount (the alias above, computed once) in whole coins of the row's coin,
        -- BCH for a BCH account: the name to prefer; earnings_btc stays for its readers
        earnings_btc as earnings_coin,
        d.paid_amount_sat,
        d.payment_tx,
        d.payment_time,
        d.payout_address,
        d.payment_mode,
        d.difficulty,
        d.earnings_rate_pct,
        d.cumulative_earnings_sat,
        d.cumulative_paid_sat,
        d.cumulative_earnings_sat - d.cumulative_paid_sat as unpaid_balance_sat,
        case
            when d.payment_tx is not null or d.paid_amount_sat > 0 then 'paid'
            when d.earnings_sat = 0 then 'empty'
            else 'unpaid'
        end as status,
        d.payments,
        d.provisional,
        {{ var('price_currency') }} as price_currency,
        -- the pool's date read as the candle's UTC day: one day's earnings, one day's close
        p.close as price_close,
        p.source as price_source,
        value_to_cents(d.earnings_sat, p.close) as earnings_value
    from days as d
    left join prices as p
        on d.coin = p.coin and d.date = p.date
)

select * from final
