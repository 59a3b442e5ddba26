-- account/earn-stats snapshots.
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
