-- One row per finding: a day, a payout or a total on which the pool's earn-history, its own
-- totals (earn-stats) and the chain disagree; `kind` says which check found it. No key: two
-- findings may say the same of one day.
--
-- Each kind is found by its own model, `intermediate/int_findings_<kind>.sql`; here they are
-- one table.
-- incremental: t.date >= s.keep_from or t.kind in ('unpaid_mismatch', 'total_paid_mismatch')
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; every
--     amount of the row is in this coin
-- column date DATE: the pool's day the finding is about: the earn-history day; for a payout
--     (`tx_without_amount`, `address_mismatch`, `onchain_*`) its last day; for
--     `unpaid_mismatch` and `total_paid_mismatch` the pool-zone day of the earn-stats snapshot
-- column payment_tx VARCHAR: the payout's transaction id when the finding is about one; for
--     `history_changed` the txids of the day's new observation, comma-separated (NULL when it
--     has none); NULL for `paid_without_tx`, `negative_balance`, `missing_days` and the two
--     earn-stats kinds
-- column kind VARCHAR: which check found it: `paid_without_tx`, `tx_without_amount`,
--     `negative_balance`, `address_mismatch`, `payment_before_earning`, `history_changed`,
--     `missing_days`, `unpaid_mismatch`, `total_paid_mismatch`, and after on-chain checks
--     `onchain_missing`, `onchain_unconfirmed`, `onchain_amount_mismatch`
-- column expected_sat BIGINT: the amount that should have been, in satoshi; NULL when the kind
--     has none. paid_without_tx: the day's paid amount; negative_balance: earned so far;
--     history_changed: the old figure; unpaid_mismatch: the history's unpaid plus earn-stats'
--     earnings_today; total_paid_mismatch: the history's paid total; onchain_*: paid_sat
-- column actual_sat BIGINT: the amount found, in satoshi; NULL when the kind has none.
--     tx_without_amount: 0; negative_balance: paid so far; address_mismatch: what was paid to
--     the address; payment_before_earning: the payment; history_changed: the new figure;
--     unpaid_mismatch, total_paid_mismatch: earn-stats' figure; onchain_unconfirmed,
--     onchain_amount_mismatch: onchain_sat
-- column detail VARCHAR: the finding in words, with its figures (e.g. `paid 5000 sat with no
--     payment tx`)
with

findings as (
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_paid_without_tx
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_tx_without_amount
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_negative_balance
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_address_mismatch
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_payment_before_earning
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_history_changed
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_missing_days
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_unpaid_mismatch
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_total_paid_mismatch
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_onchain_missing
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_onchain_unconfirmed
    union all
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from int_findings_onchain_amount_mismatch
),

final as (
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from findings
    order by account, coin, date, kind, payment_tx
)

select * from final
