-- One row per finding: what the pool's own records, its totals and the chain disagree on.
with

days as not materialized (
    select * from daily_earnings
),

day_windows as not materialized (
    select * from int_days
),

observations as not materialized (
    select * from stg_earn_history_observations
),

rows as not materialized (
    -- the latest observation's rows: a day paid in several payments is one row per payment
    select * from stg_earn_history
),

payouts as not materialized (
    select * from payouts
),

account_info as (
    select * from stg_account_info
),

totals as not materialized (
    select * from int_account_totals
),

onchain as not materialized (
    select * from payout_onchain
),

known_addresses as (
    select distinct account, coin, payout_address as address
    from account_info
    where payout_address is not null
),

paid_without_tx as (
    select
        account,
        coin,
        date,
        cast(null as varchar) as payment_tx,
        'paid_without_tx' as kind,
        paid_amount_sat as expected_sat,
        cast(null as bigint) as actual_sat,
        'paid ' || paid_amount_sat || ' sat with no payment tx' as detail
    from rows
    where paid_amount_sat > 0 and payment_tx is null
),

tx_without_amount as (
    select
        account,
        coin,
        last_date as date,
        payment_tx,
        'tx_without_amount' as kind,
        cast(null as bigint) as expected_sat,
        paid_sat as actual_sat,
        'payment tx on ' || earning_days || ' day(s) with no paid amount' as detail
    from payouts
    where paid_sat = 0
),

balances as (
    select
        *,
        cumulative_earnings_sat - cumulative_paid_sat as unpaid_balance_sat,
        case
            when previous_date is not null
                then cumulative_earnings_sat - cumulative_paid_sat - earnings_sat + paid_amount_sat
        end as previous_balance
    from day_windows
),

negative_balance as (
    select
        account,
        coin,
        date,
        cast(null as varchar) as payment_tx,
        'negative_balance' as kind,
        cumulative_earnings_sat as expected_sat,
        cumulative_paid_sat as actual_sat,
        'paid ' || -unpaid_balance_sat || ' sat more than earned so far' as detail
    from balances
    where unpaid_balance_sat < 0 and coalesce(previous_balance, 0) >= 0
),

payout_addresses as (
    -- every address a payout's rows name: a payout whose days disagree is judged per address
    select
        account,
        coin,
        payment_tx,
        payout_address as address,
        max(date) as last_date,
        sum_sat(paid_amount_sat) as paid_sat
    from rows
    where payment_tx is not null and payout_address is not null
    group by account, coin, payment_tx, payout_address
),

address_mismatch as (
    select
        p.account,
        p.coin,
        p.last_date as date,
        p.payment_tx,
        'address_mismatch' as kind,
        cast(null as bigint) as expected_sat,
        p.paid_sat as actual_sat,
        'paid to ' || p.address || ', not an address the account ever reported' as detail
    from payout_addresses as p
    where
        p.address is not null
        and exists (
            select 1 from known_addresses as k where k.account = p.account and k.coin = p.coin
        )
        and not exists (
            select 1
            from known_addresses as k
            where k.account = p.account and k.coin = p.coin and k.address = p.address
        )
),

payment_before_earning as (
    select
        account,
        coin,
        date,
        payment_tx,
        'payment_before_earning' as kind,
        cast(null as bigint) as expected_sat,
        paid_amount_sat as actual_sat,
        'paid at ' || strftime(pool_time(payment_time), '%Y-%m-%d %H:%M:%S')
        || ' before the day ended' as detail
    from rows
    where
        payment_time is not null
        -- cheap first: no zone is a day behind UTC, so a payment two days or more after the
        -- day's UTC start came after the day ended; only the rest needs the zone's rules
        and epoch_us(payment_time) < (date - date '1970-01-01' + 2) * 86400000000
        and not pool_day_ended(date, payment_time)
),

repeated_days as (
    -- days observed more than once (by several runs, or as several payments): only these can
    -- have changed; counting is all this asks of every day
    select account, coin, date
    from observations
    group by account, coin, date
    having count(*) > 1
),

observed_days as (
    -- each run's observation of a repeated day as one figure: its earnings, the sum of its
    -- payments, their txids, and each payment as 'tx:amount' (a day paid in several payments
    -- is several rows of one run)
    select
        o.account,
        o.coin,
        o.date,
        o.run_id,
        max(o.fetched_at) as fetched_at,
        max(o.earnings_sat) as earnings_sat,
        sum_sat(o.paid_amount_sat) as paid_amount_sat,
        string_agg(distinct o.payment_tx, ',' order by o.payment_tx) as payment_tx,
        coalesce(
            list(coalesce(o.payment_tx, '') || ':' || o.paid_amount_sat) filter (
                where o.payment_tx is not null or o.paid_amount_sat > 0
            ),
            []
        ) as payments
    from observations as o
    semi join repeated_days as r
        on o.account = r.account and o.coin = r.coin and o.date = r.date
    group by o.account, o.coin, o.date, o.run_id
),

changing_days as (
    -- the days whose observations disagree
    select account, coin, date
    from observed_days
    group by account, coin, date
    having
        min(earnings_sat) != max(earnings_sat)
        or min(paid_amount_sat) != max(paid_amount_sat)
        or min(coalesce(payment_tx, '')) != max(coalesce(payment_tx, ''))
),

observed_in_order as (
    select
        o.*,
        lag(earnings_sat) over history as previous_earnings_sat,
        lag(paid_amount_sat) over history as previous_paid_sat,
        lag(payment_tx) over history as previous_payment_tx,
        lag(payments) over history as previous_payments,
        -- an estimate fetched while its day was still running (in the pool's zone) is
        -- provisional: settling it at another figure is normal, not a change
        coalesce(
            bool_or(earnings_sat > 0 and pool_day_ended(date, fetched_at)) over earlier,
            false
        ) as was_non_zero
    from observed_days as o
    semi join changing_days as c
        on o.account = c.account and o.coin = c.coin and o.date = c.date
    window
        history as (partition by account, coin, date order by fetched_at, run_id),
        earlier as (
            partition by account, coin, date order by fetched_at, run_id
            rows between unbounded preceding and 1 preceding
        )
),

earnings_changed as (
    select
        account,
        coin,
        date,
        payment_tx,
        'history_changed' as kind,
        previous_earnings_sat as expected_sat,
        earnings_sat as actual_sat,
        'earnings changed from ' || previous_earnings_sat || ' to ' || earnings_sat || ' sat'
        as detail
    from observed_in_order
    where was_non_zero and earnings_sat != previous_earnings_sat
),

payment_changed as (
    -- a payment reported earlier is gone or has another amount; a day unpaid before, or paid
    -- in part and now in full (a further payment added), has not changed
    select
        account,
        coin,
        date,
        payment_tx,
        'history_changed' as kind,
        previous_paid_sat as expected_sat,
        paid_amount_sat as actual_sat,
        'payment changed from ' || previous_paid_sat || ' sat (tx '
        || coalesce(previous_payment_tx, 'none') || ') to ' || paid_amount_sat || ' sat (tx '
        || coalesce(payment_tx, 'none') || ')' as detail
    from observed_in_order
    where len(previous_payments) > 0 and not list_has_all(payments, previous_payments)
),

gaps as (
    -- a day more than one day after the previous one opens a gap
    select account, coin, previous_date, date
    from day_windows
    where date - previous_date > 1
),

missing_days as (
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
),

unpaid_mismatch as (
    select
        account,
        coin,
        pool_day(stats_fetched_at) as date,
        cast(null as varchar) as payment_tx,
        'unpaid_mismatch' as kind,
        computed_unpaid_sat + reported_earnings_today_sat as expected_sat,
        reported_unpaid_sat as actual_sat,
        'earn-stats unpaid differs by ' || unpaid_diff_sat || ' sat from the history' as detail
    from totals
    where unpaid_diff_sat != 0
),

total_paid_mismatch as (
    select
        account,
        coin,
        pool_day(stats_fetched_at) as date,
        cast(null as varchar) as payment_tx,
        'total_paid_mismatch' as kind,
        paid_sat as expected_sat,
        reported_total_paid_sat as actual_sat,
        'earn-stats total_paid differs by ' || total_paid_diff_sat || ' sat from the history'
        as detail
    from totals
    where total_paid_diff_sat != 0
),

onchain_missing as (
    select
        o.account,
        o.coin,
        p.last_date as date,
        o.payment_tx,
        'onchain_missing' as kind,
        o.paid_sat as expected_sat,
        cast(null as bigint) as actual_sat,
        'the chain has no such transaction' as detail
    from onchain as o
    inner join payouts as p using (account, coin, payment_tx)
    where not o.found
),

onchain_unconfirmed as (
    select
        o.account,
        o.coin,
        p.last_date as date,
        o.payment_tx,
        'onchain_unconfirmed' as kind,
        o.paid_sat as expected_sat,
        o.onchain_sat as actual_sat,
        'the transaction is not confirmed yet' as detail
    from onchain as o
    inner join payouts as p using (account, coin, payment_tx)
    where o.found and not o.confirmed
),

onchain_amount_mismatch as (
    select
        o.account,
        o.coin,
        p.last_date as date,
        o.payment_tx,
        'onchain_amount_mismatch' as kind,
        o.paid_sat as expected_sat,
        o.onchain_sat as actual_sat,
        'outputs to ' || coalesce(o.address, 'no address') || ' sum to ' || o.onchain_sat
        || ' sat, the pool paid ' || o.paid_sat || ' sat' as detail
    from onchain as o
    inner join payouts as p using (account, coin, payment_tx)
    where o.found and o.onchain_sat is distinct from o.paid_sat
),

findings as (
    select * from paid_without_tx
    union all select * from tx_without_amount
    union all select * from negative_balance
    union all select * from address_mismatch
    union all select * from payment_before_earning
    union all select * from earnings_changed
    union all select * from payment_changed
    union all select * from missing_days
    union all select * from unpaid_mismatch
    union all select * from total_paid_mismatch
    union all select * from onchain_missing
    union all select * from onchain_unconfirmed
    union all select * from onchain_amount_mismatch
),

final as (
    select account, coin, date, payment_tx, kind, expected_sat, actual_sat, detail
    from findings
    order by account, coin, date, kind, payment_tx
)

select * from final
