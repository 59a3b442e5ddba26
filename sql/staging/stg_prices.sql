-- One row per daily price as a prices run observed it (`poolbooks prices`, or `poolbooks
-- ingest` with a `[prices]` table): a coin's candle of one UTC day in the configured currency
-- from the price source, or a row of the user's override file. A date is observed again by
-- each run that fetched it; take the latest per (coin, currency, date), an override's first
-- (see docs/prices.md). Prices are exact decimals, never floats.
-- column run_id VARCHAR: the prices run that fetched it: its UTC start time and 8 random hex
--     digits (`20261201T195204Z-dc2675e7`), so run ids sort by start
-- column fetched_at TIMESTAMP WITH TIME ZONE: when the source answered, or when the run read
--     the override file (UTC)
-- column coin VARCHAR: the coin priced (BTC, BCH, …): one coin the configured accounts mine,
--     or one an override file names
-- column currency VARCHAR: the currency of the prices (`[prices] currency`, such as USD): the
--     source's product is coin-currency (`BTC-USD`)
-- column date DATE: the candle's day in UTC (00:00 to 24:00 UTC), not the pool's zone
-- column open DECIMAL(38,10): the day's first trade price, in `currency` per coin; NULL for an
--     override
-- column high DECIMAL(38,10): the day's highest trade price; NULL for an override
-- column low DECIMAL(38,10): the day's lowest trade price; NULL for an override
-- column close DECIMAL(38,10): the day's last trade price, in `currency` per coin (so far, for
--     a day not yet final); an override's `price`
-- column volume DECIMAL(38,10): coins traded that day on the source; NULL for an override
-- column source VARCHAR: where the row came from: the source's name (`coinbase`), or
--     `override` for a row of the override file
-- column final BOOLEAN: whether the day had ended (UTC) when the row was fetched; false only
--     for a source's candle of the run's own day, whose close was still moving; always true for
--     an override
select
    run_id,
    fetched_at,
    coin,
    currency,
    date,
    open,
    high,
    low,
    close,
    volume,
    source,
    final
from {{ source('prices') }}
