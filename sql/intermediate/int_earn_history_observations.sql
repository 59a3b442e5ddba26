-- Every earn-history observation, marked: `is_latest` marks the rows of the run that saw the
-- day last (by fetch time, then run id), `day_rows` counts every row ever observed of the day
-- (1 for nearly every day). The aggregate keeps only the days seen more than once, so the join
-- back to every observation probes a small table: a day not in it was seen once, in its only
-- (so latest) row.
with

observations as (
    select * from stg_earn_history_observations
),

repeated_days as (
    select
        account,
        coin,
        date,
        arg_max(run_id, (fetched_at, run_id)) as latest_run_id,
        count(*) as day_rows
    from observations
    group by account, coin, date
    having count(*) > 1
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
