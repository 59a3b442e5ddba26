-- Findings use only the kinds docs/warehouse.md lists, and name an account and coin.
select *
from reconciliation_issues
where
    account is null
    or coin is null
    or kind not in (
        'paid_without_tx',
        'tx_without_amount',
        'negative_balance',
        'address_mismatch',
        'payment_before_earning',
        'history_changed',
        'missing_days',
        'unpaid_mismatch',
        'total_paid_mismatch',
        'onchain_missing',
        'onchain_unconfirmed',
        'onchain_amount_mismatch'
    )
