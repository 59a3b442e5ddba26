-- Finding `missing_days`: one per absent date between an account's first and last day.
with

days as (
    select * from int_days
),

gaps as (
    -- a day more than one day after the previous one opens a gap
    select account, coin, previous_date, date
    from days
    where date - previous_date > 1
),

final as (
    select
        g.account,
        g.coin,
        cast(m.day as date) as date,
        cast(null as varchar) as payment_tx,
        'missing_days' as kind,
        cast(null as bigint) as expected_sat,
        cast(null as bigint) as actual_sat,
        'no earn-history row for this day' as detail
    from gaps as g,
        generate_series(g.previous_date + 1, g.date - 1, interval 1 day) as m (day)
)

select * from final
