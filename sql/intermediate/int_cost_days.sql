-- One row per day from the first entry of `[costs] electricity` or `fixed` to the last day of
-- the history: the tariff in force that day (NULL before the first tariff: not known) and the
-- farm's fixed costs per month in force (0 before the first entry, or with none configured:
-- fixed costs are optional), with the number of days of that calendar month.
with

tariff as (
    select * from stg_electricity_tariff
),

fixed as (
    select * from stg_fixed_costs
),

days as (
    select * from int_days
),

last_day as (
    select max(date) as date from days
),

tariff_days as (
    select
        cast(d.day as date) as date,
        t.price_per_kwh
    from (
        select
            start_date,
            lead(start_date) over (order by start_date) as next_start_date,
            price_per_kwh
        from tariff
    ) as t,
        generate_series(
            t.start_date,
            coalesce(t.next_start_date - 1, (select date from last_day)),
            interval 1 day
        ) as d (day)
),

fixed_days as (
    select
        cast(d.day as date) as date,
        f.per_month
    from (
        select
            start_date,
            lead(start_date) over (order by start_date) as next_start_date,
            per_month
        from fixed
    ) as f,
        generate_series(
            f.start_date,
            coalesce(f.next_start_date - 1, (select date from last_day)),
            interval 1 day
        ) as d (day)
),

final as (
    select
        coalesce(t.date, f.date) as date,
        t.price_per_kwh,
        coalesce(f.per_month, 0) as fixed_per_month,
        day(last_day(coalesce(t.date, f.date))) as days_in_month
    from tariff_days as t
    full join fixed_days as f
        on t.date = f.date
)

select * from final
