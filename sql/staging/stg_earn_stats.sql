-- One row per account/earn-stats snapshot: the pool's own totals for the account at that
-- moment, in satoshi of its coin. `payout_reconciliation` checks the latest against the history.
-- column run_id VARCHAR: the run that fetched it: its UTC start time and 8 random hex digits
--     (`20261201T195204Z-dc2675e7`), so run ids sort by start
-- column fetched_at TIMESTAMP WITH TIME ZONE: when the pool's answer arrived (UTC)
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column puid BIGINT: the pool's sub-account id (the config's `puid`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; every
--     amount of the row is in this coin
-- column total_paid_sat BIGINT: everything the pool says it has paid the account, in satoshi
--     (API `total_paid`)
-- column pending_payouts_sat BIGINT: payouts the pool has pending, in satoshi (API
--     `pending_payouts`); 0 when absent
-- column last_payment_time TIMESTAMP WITH TIME ZONE: when the pool last paid the account (API
--     `last_payment_time`, unix seconds, as an instant); NULL when "0" (never paid)
-- column earnings_today_sat BIGINT: the pool's estimate of today's earnings so far, in satoshi
--     (API `earnings_today`)
-- column earnings_yesterday_sat BIGINT: what the account earned yesterday, in satoshi (API
--     `earnings_yesterday`)
-- column unpaid_sat BIGINT: the balance not yet paid, in satoshi: settled unpaid earnings plus
--     today's estimate (API `unpaid`)
select
    run_id,
    fetched_at,
    account,
    puid,
    coin,
    total_paid_sat,
    pending_payouts_sat,
    last_payment_time,
    earnings_today_sat,
    earnings_yesterday_sat,
    unpaid_sat
from {{ source('earn_stats') }}
