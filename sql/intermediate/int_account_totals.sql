-- Per (account, coin): what the history says was earned and paid, and the pool's own totals
-- from the latest earn-stats snapshot.
with

days as (
    select * from int_days
),

stats as (
    select * from stg_earn_stats
),

carried as (
    -- an incremental build's sums of the days before those it read (empty in a full build)
    select * from {{ carry_in() }}
),

day_totals as (
    select
        account,
        coin,
        -- settled days only: the pool's `unpaid` is the settled balance plus its estimate of
        -- today (`earnings_today`), which a provisional today row may repeat
        sum_sat(if(provisional, 0, earnings_sat)) as earned_sat,
        sum_sat(paid_amount_sat) as paid_sat
    from days
    group by account, coin
),

history_totals as (
    select
        d.account,
        d.coin,
        d.earned_sat + coalesce(c.carried_settled_sat, 0) as earned_sat,
        d.paid_sat + coalesce(c.carried_paid_sat, 0) as paid_sat
    from day_totals as d
    left join carried as c
        on d.account = c.account and d.coin = c.coin
),

latest_stats as (
    select *
    from stats
    qualify row_number() over (partition by account, coin order by fetched_at desc, run_id desc) = 1
),

final as (
    select
        h.account,
        h.coin,
        h.earned_sat,
        h.paid_sat,
        h.earned_sat - h.paid_sat as computed_unpaid_sat,
        s.unpaid_sat as reported_unpaid_sat,
        s.earnings_today_sat as reported_earnings_today_sat,
        s.total_paid_sat as reported_total_paid_sat,
        s.unpaid_sat - s.earnings_today_sat - (h.earned_sat - h.paid_sat) as unpaid_diff_sat,
        s.total_paid_sat - h.paid_sat as total_paid_diff_sat,
        s.fetched_at as stats_fetched_at
    from history_totals as h
    left join latest_stats as s
        on h.account = s.account and h.coin = s.coin
)

select * from final
