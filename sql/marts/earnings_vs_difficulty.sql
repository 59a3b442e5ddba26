-- Earnings against network difficulty per (account, coin, date): the subsidy in force, the
-- hashrate the earnings imply, and (when there are snapshots) expected PPS and efficiency.
-- `provisional` as in daily_earnings: the pool's unsettled today row.
-- key: account, coin, date
with

days as (
    select * from int_days
),

subsidy as (
    select * from seed_block_subsidy
),

hashrate as (
    select * from hashrate_daily
),

with_previous as not materialized (
    select
        account,
        coin,
        date,
        difficulty,
        earnings_sat,
        earnings_rate_pct,
        previous_difficulty,
        previous_earnings_sat,
        provisional
    from days
),

subsidy_periods as (
    select
        coin,
        start_date,
        lead(start_date) over (partition by coin order by start_date) as next_start_date,
        subsidy_sat
    from subsidy
),

subsidy_days as (
    -- the subsidy in force on every day up to the last day with earnings: an equality join
    -- on (coin, date) costs a hash lookup per day, where an as-of join sorts all the days
    select
        p.coin,
        cast(d.day as date) as date,
        p.subsidy_sat
    from subsidy_periods as p,
        generate_series(
            p.start_date,
            coalesce(p.next_start_date - 1, (select max(date) from with_previous)),
            interval 1 day
        ) as d (day)
),

with_subsidy as (
    select
        w.*,
        s.subsidy_sat
    from with_previous as w
    left join subsidy_days as s
        on w.coin = s.coin and w.date = s.date
),

expected as (
    select
        d.*,
        h.hashrate_mean_hs as hashrate_hs,
        cast(
            round(h.hashrate_mean_hs * 86400 * d.subsidy_sat
                / nullif(d.difficulty * pow(2, 32), 0))
            as bigint
        ) as expected_pps_sat
    from with_subsidy as d
    left join hashrate as h
        on d.account = h.account and d.coin = h.coin and d.date = h.date
),

final as (
    select
        account,
        coin,
        date,
        difficulty,
        pct_change(difficulty, previous_difficulty) as difficulty_change_pct,
        earnings_sat,
        pct_change(earnings_sat, previous_earnings_sat) as earnings_change_pct,
        earnings_rate_pct,
        subsidy_sat,
        earnings_sat * difficulty * pow(2, 32) / nullif(86400 * subsidy_sat, 0)
            as implied_hashrate_hs,
        hashrate_hs,
        expected_pps_sat,
        earnings_sat / nullif(expected_pps_sat, 0) as efficiency,
        earnings_sat / nullif(hashrate_hs / 1e12, 0) as sat_per_th_day,
        provisional
    from expected
)

select * from final
