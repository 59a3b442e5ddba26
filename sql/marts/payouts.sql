-- One row per (account, coin, payment_tx): a payout and the earning days it covered, from the
-- latest observation of each day; a day paid in several payments counts in each of its payouts.
-- key: account, coin, payment_tx
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; every
--     amount of the row is in this coin
-- column payment_tx VARCHAR: the payout's transaction id (earn-history `payment_tx`, trimmed)
-- column payment_time TIMESTAMP WITH TIME ZONE: when it was paid: the latest `payment_time` of
--     its rows (the pool's zoneless time read in the config's `timezone`, as an instant); NULL
--     when no row gives one
-- column address VARCHAR: the address it paid: the greatest `address` of its rows, trimmed;
--     NULL when no row gives one
-- column paid_sat BIGINT: what it paid, in satoshi: the sum of `paid_amount` over its rows
--     (one per day it covered; a pool may put the whole amount on one of them)
-- column earning_days BIGINT: how many days it covered (its rows: a payout names a day once)
-- column first_date DATE: the earliest day it covered (pool's day)
-- column last_date DATE: the latest day it covered (pool's day)
with

payouts as (
    select * from int_payouts
),

final as (
    select
        account,
        coin,
        payment_tx,
        payment_time,
        address,
        paid_sat,
        earning_days,
        first_date,
        last_date
    from payouts
)

select * from final
