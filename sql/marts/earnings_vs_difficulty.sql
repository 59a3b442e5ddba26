-- One row per (account, coin, date) of `daily_earnings`: the day's earnings against network
-- difficulty and the block subsidy, the hashrate they imply and, on days with hashrate
-- snapshots, the PPS earnings that hashrate should have earned.
-- key: account, coin, date
-- incremental: t.date >= s.keep_from
-- recent last: date
-- column account VARCHAR: the account's `name` in the config (`[[accounts]]`)
-- column coin VARCHAR: the account's coin from the config: BTC, BCH, SBTC or UBTC; every
--     amount of the row is in this coin
-- column date DATE: the pool's day (earn-history `date`), a day of the pool's zone (the
--     config's `timezone`)
-- column difficulty DOUBLE: the network difficulty of the day (earn-history `diff`); NULL when
--     absent
-- column difficulty_change_pct DOUBLE: the change of difficulty, in percent, since the latest
--     earlier day that has one; NULL on the first such day or when this day has none
-- column earnings_sat BIGINT: what the account earned that day, in satoshi (as in `daily_earnings`)
-- column earnings_change_pct DOUBLE: the change of earnings_sat, in percent, since the
--     account's previous day in the history, recomputed here; NULL on its first day or when
--     the previous day earned 0
-- column earnings_rate_pct DOUBLE: the pool's own day-over-day change of earnings, in percent,
--     as reported (earn-history `earnings_rate`); NULL when absent
-- column subsidy_sat BIGINT: the block subsidy in force that day for the coin, in satoshi
--     (`seed_block_subsidy`; a halving day takes the new one); NULL for a coin it lacks
-- column implied_hashrate_hs DOUBLE: the hashrate that would earn earnings_sat at full PPS on
--     the subsidy alone, in H/s: earnings_sat * difficulty * 2^32 / (86400 * subsidy_sat);
--     NULL without difficulty or subsidy
-- column hashrate_hs DOUBLE: the mean of the day's 15-minute hashrate snapshots, in H/s
--     (`hashrate_daily.hashrate_mean_hs`); NULL when the day has no snapshot
-- column expected_pps_sat BIGINT: what hashrate_hs earns in a day at PPS on the subsidy alone
--     (no fees), in satoshi rounded to whole: hashrate_hs * 86400 * subsidy_sat /
--     (difficulty * 2^32); NULL without hashrate_hs, difficulty or subsidy
-- column efficiency DOUBLE: earnings_sat / expected_pps_sat, a ratio: 1.0 is exactly what PPS
--     on the subsidy pays (a pool's fee lowers it, FPPS's share of transaction fees raises
--     it); NULL without expected_pps_sat or when it is 0
-- column sat_per_th_day DOUBLE: satoshi earned that day per TH/s of mean hashrate:
--     earnings_sat / (hashrate_hs / 10^12); NULL without hashrate_hs or when it is 0
-- column provisional BOOLEAN: true for the pool's unsettled today row, whose figures will
--     change (as in `daily_earnings`); false for every settled day
with

days as (
    select * from int_days
),

subsidy_days as (
    select * from int_subsidy_days
),

hashrate as (
    select * from {{ all_rows('hashrate_daily') }}
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
        cast(round(expected_pps(h.hashrate_mean_hs, d.subsidy_sat, d.difficulty)) as bigint)
            as expected_pps_sat
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
