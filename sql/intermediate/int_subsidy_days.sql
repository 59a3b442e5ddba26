-- One row per (coin, date) from the coin's genesis to the last day of the history: the block
-- subsidy in force that day (`seed_block_subsidy`; a halving day takes the new one). Models
-- join it on (coin, date): an equality join costs a hash lookup per day, where an as-of join
-- would sort all the days.
with

subsidy as (
    select * from seed_block_subsidy
),

days as (
    select * from int_days
),

periods as (
    select
        coin,
        start_date,
        lead(start_date) over (partition by coin order by start_date) as next_start_date,
        subsidy_sat
    from subsidy
),

final as (
    select
        p.coin,
        cast(d.day as date) as date,
        p.subsidy_sat
    from periods as p,
        generate_series(
            p.start_date,
            coalesce(p.next_start_date - 1, (select max(date) from days)),
            interval 1 day
        ) as d (day)
)

select * from final
