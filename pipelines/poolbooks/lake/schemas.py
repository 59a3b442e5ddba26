"""Explicit Arrow schemas of every lake dataset (the registry, `datasets.py`, names them);
bump SCHEMA_VERSION (in version.py) when one changes."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from poolbooks.lake.version import FAILED_PAGES_DATASET as FAILED_PAGES_DATASET
from poolbooks.lake.version import PAGES_DATASET as PAGES_DATASET
from poolbooks.lake.version import SCHEMA_VERSION as SCHEMA_VERSION

PARTITION_KEY = "fetch_date"  # hive folder of every dataset: the UTC date of the run
UTC_TIME = pa.timestamp("us", tz="UTC")
# A price or a traded volume, exact: never a float (a price source's JSON numbers are read as
# decimals). Ten places hold a satoshi-priced coin; 38 digits, any price a currency will see.
PRICE = pa.decimal128(38, 10)

_RUN: list[pa.Field[Any]] = [
    pa.field("schema_version", pa.int16(), nullable=False),
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("fetched_at", UTC_TIME, nullable=False),
]
_ACCOUNT: list[pa.Field[Any]] = [
    pa.field("account", pa.string(), nullable=False),
    pa.field("puid", pa.int64(), nullable=False),
    pa.field("coin", pa.string(), nullable=False),
]

EARN_HISTORY = pa.schema(
    [
        *_RUN,
        *_ACCOUNT,
        pa.field("page", pa.int32(), nullable=False),
        pa.field("date", pa.date32(), nullable=False),
        pa.field("earnings_sat", pa.int64(), nullable=False),
        pa.field("paid_amount_sat", pa.int64(), nullable=False),
        pa.field("payment_time", UTC_TIME),
        pa.field("payment_tx", pa.string()),
        pa.field("address", pa.string()),
        pa.field("difficulty", pa.float64()),
        pa.field("payment_mode", pa.string()),
        pa.field("earnings_rate_pct", pa.float64()),
        pa.field("diff_rate_pct", pa.float64()),
        pa.field("extra", pa.string()),
    ]
)

EARN_HISTORY_WALKS = pa.schema(
    [
        *_RUN,
        *_ACCOUNT,
        pa.field("mode", pa.string(), nullable=False),
        pa.field("since", pa.date32()),
        pa.field("order", pa.string(), nullable=False),
        pa.field("total_count", pa.int64(), nullable=False),
        pa.field("pages_fetched", pa.int32(), nullable=False),
        pa.field("repages", pa.int32(), nullable=False),
        pa.field("complete", pa.bool_(), nullable=False),
        pa.field("error", pa.string()),
        # why a walk was full (first, scheduled, totals, requested); for a finished full
        # walk, how far the pool's own totals (earn-stats) were from the history it read
        pa.field("trigger", pa.string()),
        pa.field("unpaid_diff_sat", pa.int64()),
        pa.field("total_paid_diff_sat", pa.int64()),
    ]
)

ACCOUNT_INFO = pa.schema(
    [
        *_RUN,
        *_ACCOUNT,
        pa.field("user_id", pa.int64()),
        pa.field("user_name", pa.string()),
        pa.field("address", pa.string()),
        pa.field("region", pa.string()),
        pa.field("extra", pa.string()),
    ]
)

EARN_STATS = pa.schema(
    [
        *_RUN,
        *_ACCOUNT,
        pa.field("total_paid_sat", pa.int64(), nullable=False),
        pa.field("pending_payouts_sat", pa.int64(), nullable=False),
        pa.field("last_payment_time", UTC_TIME),
        pa.field("earnings_today_sat", pa.int64(), nullable=False),
        pa.field("earnings_yesterday_sat", pa.int64(), nullable=False),
        pa.field("unpaid_sat", pa.int64(), nullable=False),
        pa.field("extra", pa.string()),
    ]
)

HASHRATE = pa.schema(
    [
        *_RUN,
        *_ACCOUNT,
        pa.field("shares_15m_hs", pa.float64(), nullable=False),
        pa.field("shares_1d_hs", pa.float64(), nullable=False),
        pa.field("extra", pa.string()),
    ]
)

WORKER_STATS = pa.schema(
    [
        *_RUN,
        *_ACCOUNT,
        pa.field("workers_active", pa.int64(), nullable=False),
        pa.field("workers_inactive", pa.int64(), nullable=False),
        pa.field("workers_dead", pa.int64(), nullable=False),
        pa.field("workers_total", pa.int64(), nullable=False),
        pa.field("shares_1m_hs", pa.float64(), nullable=False),
        pa.field("shares_5m_hs", pa.float64(), nullable=False),
        pa.field("shares_15m_hs", pa.float64(), nullable=False),
        pa.field("extra", pa.string()),
    ]
)

POOL_STATS = pa.schema(
    [
        *_RUN,
        pa.field("host", pa.string(), nullable=False),
        pa.field("coin", pa.string(), nullable=False),
        pa.field("scope", pa.string(), nullable=False),
        pa.field("shares_1m_hs", pa.float64(), nullable=False),
        pa.field("shares_5m_hs", pa.float64(), nullable=False),
        pa.field("shares_15m_hs", pa.float64(), nullable=False),
        pa.field("reject_1m", pa.float64(), nullable=False),
        pa.field("reject_5m", pa.float64(), nullable=False),
        pa.field("reject_15m", pa.float64(), nullable=False),
        pa.field("workers", pa.int64(), nullable=False),
        pa.field("users", pa.int64(), nullable=False),
        pa.field("extra", pa.string()),
    ]
)

ONCHAIN_TX = pa.schema(
    [
        *_RUN,
        *_ACCOUNT,
        pa.field("payment_tx", pa.string(), nullable=False),
        pa.field("address", pa.string()),
        pa.field("found", pa.bool_(), nullable=False),
        pa.field("confirmed", pa.bool_(), nullable=False),
        pa.field("block_height", pa.int64()),
        pa.field("block_time", UTC_TIME),
        pa.field("onchain_sat", pa.int64()),
    ]
)

PRICES = pa.schema(
    [
        *_RUN,
        pa.field("coin", pa.string(), nullable=False),
        pa.field("currency", pa.string(), nullable=False),
        pa.field("date", pa.date32(), nullable=False),  # the candle's UTC day
        pa.field("open", PRICE),
        pa.field("high", PRICE),
        pa.field("low", PRICE),
        pa.field("close", PRICE, nullable=False),
        pa.field("volume", PRICE),
        # where the row came from: the source's name (`coinbase`), or `override` for a row of
        # the user's override file (each run that reads it writes all of that file's rows)
        pa.field("source", pa.string(), nullable=False),
        pa.field("final", pa.bool_(), nullable=False),  # its day had closed when fetched
    ]
)

# The columns of each dataset of the registry (`datasets.py`), by its name.
DATASETS: dict[str, pa.Schema] = {
    "earn_history": EARN_HISTORY,
    "earn_history_walks": EARN_HISTORY_WALKS,
    "account_info": ACCOUNT_INFO,
    "earn_stats": EARN_STATS,
    "hashrate": HASHRATE,
    "worker_stats": WORKER_STATS,
    "pool_stats": POOL_STATS,
    "onchain_tx": ONCHAIN_TX,
    "prices": PRICES,
}
# The DuckDB type of each Arrow type the schemas use: for a column older files lack.
DUCKDB_TYPES: dict[pa.DataType, str] = {
    pa.string(): "VARCHAR",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    pa.bool_(): "BOOLEAN",
    UTC_TIME: "TIMESTAMPTZ",
    PRICE: "DECIMAL(38,10)",
}
PAGE_ARCHIVES = (PAGES_DATASET, FAILED_PAGES_DATASET)
