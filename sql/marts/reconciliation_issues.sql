-- One row per finding: what the pool's own records, its totals and the chain disagree on. Each
-- kind is found by its own model, `intermediate/int_findings_<kind>.sql`; here they are one table.
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
