-- Every earn-history observation, marked: `is_latest` marks the rows of the run that saw the
-- day last (by fetch time, then run id), `day_rows` counts every row ever observed of the day
-- (1 for nearly every day). Only the days seen more than once need the latest run: counting
-- every day's rows is a small aggregate, and the latest run is found among the few rows of the
-- repeated days (a whole-lake `arg_max` took twice as long, and spilled below 1 GB). The join
-- back to every observation then probes a small table: a day not in it was seen once, in its
-- only (so latest) row.
with

observations as not materialized (
    select * from stg_earn_history_observations
),

repeated_day_rows as (
    select
        account,
        coin,
        date,
        count(*) as day_rows
    from observations
    group by account, coin, date
    having count(*) > 1
),

repeated_days as (
    select
        o.account,
        o.coin,
        o.date,
        arg_max(o.run_id, (o.fetched_at, o.run_id)) as latest_run_id,
        any_value(r.day_rows) as day_rows
    from observations as o
    inner join repeated_day_rows as r
        on o.account = r.account and o.coin = r.coin and o.date = r.date
    group by o.account, o.coin, o.date
),

final as (
    select
        o.*,
        d.latest_run_id is null or o.run_id = d.latest_run_id as is_latest,
        coalesce(d.day_rows, 1) as day_rows
    from observations as o
    left join repeated_days as d on o.account = d.account and o.coin = d.coin and o.date = d.date
)

select * from final
