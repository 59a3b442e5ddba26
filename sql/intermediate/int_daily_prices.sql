-- One price per (coin, currency, date): the day's close that values receipts. An override row
-- wins (the user's file, as the latest prices run that read overrides for that coin and
-- currency wrote it); else the source's latest final candle. A day whose candle is not final
-- yet (today, UTC) or that the source has no candle for has no row: its receipts have no value
-- rather than a guess (docs/prices.md).
-- key: coin, currency, date
with

prices as not materialized (
    select * from stg_prices
),

override_runs as (
    select
        coin,
        currency,
        max(run_id) as run_id
    from prices
    where source = 'override'
    group by coin, currency
),

overrides as (
    select
        p.coin,
        p.currency,
        p.date,
        p.close,
        p.source,
        p.fetched_at
    from prices as p
    inner join override_runs as r
        on p.coin = r.coin and p.currency = r.currency and p.run_id = r.run_id
    where p.source = 'override'
),

candles as (
    select
        coin,
        currency,
        date,
        close,
        source,
        fetched_at
    from prices
    where source <> 'override' and final
    qualify row_number() over (
        partition by coin, currency, date order by fetched_at desc, run_id desc
    ) = 1
),

final as (
    select
        coin,
        currency,
        date,
        close,
        source,
        source = 'override' as is_override,
        fetched_at
    from overrides
    union all
    select
        c.coin,
        c.currency,
        c.date,
        c.close,
        c.source,
        false as is_override,
        c.fetched_at
    from candles as c
    anti join overrides as o
        on c.coin = o.coin and c.currency = o.currency and c.date = o.date
)

select * from final
