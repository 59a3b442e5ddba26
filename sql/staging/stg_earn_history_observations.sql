-- Every earn-history observation in the lake, typed; addresses and txids trimmed, "" as NULL;
-- `is_latest` marks the rows of the run that saw the day last (by fetch time, then run id);
-- `day_rows` counts every row ever observed of the day (1 for nearly every day).
with

observations as (
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
),

days as (
    select
        account,
        coin,
        date,
        arg_max(run_id, (fetched_at, run_id)) as latest_run_id,
        count(*) as day_rows
    from observations
    group by account, coin, date
)

select
    o.*,
    o.run_id = d.latest_run_id as is_latest,
    d.day_rows
from observations as o
inner join days as d on o.account = d.account and o.coin = d.coin and o.date = d.date
