-- account/info snapshots; the payout address trimmed.
select
    run_id,
    fetched_at,
    account,
    puid,
    coin,
    user_id,
    user_name,
    trimmed_or_null(address) as payout_address,
    region
from {{ source('account_info') }}
