-- The latest observation of every day as one row, with everything that needs the days in
-- order, computed in one pass: running sums, and the previous day's date, earnings and
-- difficulty. A day paid in several payments arrives as several rows: its earnings count once,
-- its paid amounts add up, and its payment fields are those of its last payment (latest time,
-- then greatest txid). `provisional` marks the pool's unsettled today row (below).
with

rows as not materialized (
    select * from int_earn_history
),

carried as (
    -- what an incremental build carries in from the published warehouse: the sums of the
    -- days before the first day it reads (docs/warehouse.md, "Incremental builds"); empty in
    -- a full build
    select * from {{ carry_in() }}
),

single_days as (
    -- nearly every day: one row ever observed, taken as it is
    select
        account,
        coin,
        date,
        puid,
        earnings_sat,
        paid_amount_sat,
        cast(payment_tx is not null as integer) as payments,
        payment_tx,
        payment_time,
        payout_address,
        payment_mode,
        difficulty,
        earnings_rate_pct,
        fetched_at
    from rows
    where day_rows = 1
),

days as (
    -- the rest, observed more than once or paid in several payments: one row per day, its
    -- earnings once (every row repeats them), its payments summed
    select
        account,
        coin,
        date,
        any_value(puid) as puid,
        max(earnings_sat) as earnings_sat,
        sum_sat(paid_amount_sat) as paid_amount_sat,
        -- a payment_tx names one row of a day's observation: counting rows counts payments
        cast(count(payment_tx) as integer) as payments,
        max(payment_tx) as payment_tx,
        max(payment_time) as payment_time,
        max(payout_address) as payout_address,
        any_value(payment_mode) as payment_mode,
        any_value(difficulty) as difficulty,
        any_value(earnings_rate_pct) as earnings_rate_pct,
        max(fetched_at) as fetched_at
    from rows
    where day_rows > 1
    group by account, coin, date
),

last_payments as (
    -- the few days paid in several payments: the fields of their last payment (latest time,
    -- then greatest txid)
    select
        r.account,
        r.coin,
        r.date,
        arg_max(r.payment_tx, last_payment) as payment_tx,
        arg_max(r.payment_time, last_payment) as payment_time,
        arg_max(r.payout_address, last_payment) as payout_address
    from (
        select
            *,
            (coalesce(payment_time, timestamptz '1970-01-01 00:00:00+00'), payment_tx)
                as last_payment
        from rows
        where payment_tx is not null
    ) as r
    semi join days as d
        on r.account = d.account and r.coin = d.coin and r.date = d.date and d.payments > 1
    group by r.account, r.coin, r.date
),

one_per_day as (
    select * from single_days
    union all
    select
        d.account,
        d.coin,
        d.date,
        d.puid,
        d.earnings_sat,
        d.paid_amount_sat,
        d.payments,
        coalesce(l.payment_tx, d.payment_tx) as payment_tx,
        coalesce(l.payment_time, d.payment_time) as payment_time,
        coalesce(l.payout_address, d.payout_address) as payout_address,
        d.payment_mode,
        d.difficulty,
        d.earnings_rate_pct,
        d.fetched_at
    from days as d
    left join last_payments as l
        on d.account = l.account and d.coin = l.coin and d.date = l.date
),

final as (
    select
        account,
        puid,
        coin,
        date,
        earnings_sat,
        paid_amount_sat,
        payments,
        payment_tx,
        payment_time,
        payout_address,
        payment_mode,
        difficulty,
        earnings_rate_pct,
        -- summed as DOUBLE, exactly: whole satoshi, and every partial sum below 2^53 (9 * 10^15
        -- sat, four times all the coins these chains will ever issue), so no step rounds; half
        -- the time of DuckDB's 128-bit sum of BIGINT. assert_running_sums_consistent checks each
        -- row's recurrence in integers.
        cast(sum(cast(earnings_sat as double)) over account_days as bigint)
        + coalesce(c.carried_earnings_sat, 0) as cumulative_earnings_sat,
        cast(sum(cast(paid_amount_sat as double)) over account_days as bigint)
        + coalesce(c.carried_paid_sat, 0) as cumulative_paid_sat,
        lag(date) over account_days as previous_date,
        lag(earnings_sat) over account_days as previous_earnings_sat,
        lag(difficulty ignore nulls) over account_days as previous_difficulty,
        -- the pool's provisional row (docs/pool-api.md: the newest row, today, is
        -- provisional): last seen before its pool-zone day ended, or the account's newest day
        -- with nothing earned or paid yet (the pool had not settled it when it was fetched)
        not pool_day_ended(date, fetched_at)
        or (
            lead(date) over account_days is null
            and earnings_sat = 0
            and paid_amount_sat = 0
            and payment_tx is null
        ) as provisional
    from one_per_day
    left join carried as c using (account, coin)
    window account_days as (partition by account, coin order by date)
)

select * from final
