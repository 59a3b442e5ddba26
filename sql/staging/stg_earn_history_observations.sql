-- One row per earn-history row each ingest run saw: a day is observed again by every run that
-- walks it, and a day paid in several payments is several rows of one run, one per payment_tx.
--
-- Typed from the lake; addresses and txids trimmed, "" as NULL (docs/pool-api.md).
-- `int_earn_history_observations` marks which rows are the day's latest observation; read
-- `daily_earnings` (one row per day) or `payouts` (one per payment) unless you need them all.
-- column run_id VARCHAR: the ingest run that saw the row: its UTC start time and 8 random hex
--     digits (`20261201T195204Z-dc2675e7`), so run ids sort by start
-- column fetched_at TIMESTAMP WITH TIME ZONE: when the page holding the row arrived (UTC); a
--     day's latest observation is the run with the latest fetched_at (then the greatest run_id)
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column puid BIGINT: the pool's sub-account id (the config's `puid`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; every
--     amount of the row is in this coin
-- column date DATE: the pool's day the row is for (API `date`, YYYYMMDD), a day of the pool's
--     zone (the config's `timezone`)
-- column earnings_sat BIGINT: what the account earned that day, in satoshi of its coin (API
--     `earnings`); every row of a day repeats it. On today's row, the pool's figure so far
-- column paid_amount_sat BIGINT: what this row's payment paid, in satoshi (API `paid_amount`);
--     0 when unpaid or absent
-- column payment_time TIMESTAMP WITH TIME ZONE: when the payment was made (API `payment_time`,
--     the pool's zoneless time read in the config's `timezone`, stored as an instant); NULL
--     when the API says "0" (unpaid)
-- column payment_tx VARCHAR: the payment's transaction id (API `payment_tx`), trimmed; NULL
--     when unpaid ("")
-- column payout_address VARCHAR: the address the payment went to (API `address`), trimmed;
--     NULL when unpaid ("")
-- column difficulty DOUBLE: the network difficulty of the day (API `diff`); NULL when absent
-- column payment_mode VARCHAR: the pool's payment scheme for the day as reported (API
--     `payment_mode`: PPS, FPPS, PPLNS...); NULL when absent
-- column earnings_rate_pct DOUBLE: the pool's day-over-day change of earnings, in percent, as
--     reported (API `earnings_rate`); NULL when absent
-- column diff_rate_pct DOUBLE: the pool's day-over-day change of difficulty, in percent, as
--     reported (API `diff_rate`); NULL when absent
select
    run_id,
    fetched_at,
    account,
    puid,
    coin,
    date,
    earnings_sat,
    paid_amount_sat,
    payment_time,
    trimmed_or_null(payment_tx) as payment_tx,
    trimmed_or_null(address) as payout_address,
    difficulty,
    payment_mode,
    earnings_rate_pct,
    diff_rate_pct
from {{ source('earn_history') }}
