-- Every earn-history observation, marked: `is_latest` marks the rows of the run that saw the
-- day last (by fetch time, then run id), `day_rows` counts every row ever observed of the day
-- (1 for nearly every day). One hash aggregate joined back, in the pass that reads the lake.
with

observations as (
    select * from stg_earn_history_observations
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
),

final as (
    select
        o.*,
        o.run_id = d.latest_run_id as is_latest,
        d.day_rows
    from observations as o
    inner join days as d on o.account = d.account and o.coin = d.coin and o.date = d.date
)

select * from final
