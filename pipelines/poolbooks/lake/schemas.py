"""Explicit schemas of every lake dataset (the registry, `datasets.py`, names them); bump
SCHEMA_VERSION (in version.py) when one changes.

Declared without pyarrow (`COLUMNS`, each column's DuckDB type in `DUCKDB_TYPE`), so the
warehouse build and the other readers of a local lake never import it (0.1-0.3 s of every
command's start); the Arrow schemas the writers use (`DATASETS`, `EARN_HISTORY`, and
`DUCKDB_TYPES` by Arrow type) are made from them on first use."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from poolbooks.lake.version import FAILED_PAGES_DATASET as FAILED_PAGES_DATASET
from poolbooks.lake.version import PAGES_DATASET as PAGES_DATASET
from poolbooks.lake.version import SCHEMA_VERSION as SCHEMA_VERSION

if TYPE_CHECKING:
    import pyarrow as pa

    DATASETS: dict[str, pa.Schema]
    EARN_HISTORY: pa.Schema
    DUCKDB_TYPES: dict[pa.DataType, str]

PARTITION_KEY = "fetch_date"  # hive folder of every dataset: the UTC date of the run

# each column's type, by name: its Arrow type (`_arrow_type`) and its DuckDB type
STRING, INT16, INT32, INT64, FLOAT64 = "string", "int16", "int32", "int64", "float64"
DATE, BOOL = "date32", "bool"
UTC_TIME = "timestamp[us, tz=UTC]"
# A price or a traded volume, exact: never a float (a price source's JSON numbers are read as
# decimals). Ten places hold a satoshi-priced coin; 38 digits, any price a currency will see.
PRICE = "decimal128(38, 10)"
DUCKDB_TYPE = {
    STRING: "VARCHAR",
    INT16: "SMALLINT",
    INT32: "INTEGER",
    INT64: "BIGINT",
    FLOAT64: "DOUBLE",
    DATE: "DATE",
    BOOL: "BOOLEAN",
    UTC_TIME: "TIMESTAMPTZ",
    PRICE: "DECIMAL(38,10)",
}


class Column(NamedTuple):
    name: str
    type: str  # one of the type names above
    nullable: bool


_RUN = (
    Column("schema_version", INT16, False),
    Column("run_id", STRING, False),
    Column("fetched_at", UTC_TIME, False),
)
_ACCOUNT = (
    Column("account", STRING, False),
    Column("puid", INT64, False),
    Column("coin", STRING, False),
)

_EARN_HISTORY = (
    *_RUN,
    *_ACCOUNT,
    Column("page", INT32, False),
    Column("date", DATE, False),
    Column("earnings_sat", INT64, False),
    Column("paid_amount_sat", INT64, False),
    Column("payment_time", UTC_TIME, True),
    Column("payment_tx", STRING, True),
    Column("address", STRING, True),
    Column("difficulty", FLOAT64, True),
    Column("payment_mode", STRING, True),
    Column("earnings_rate_pct", FLOAT64, True),
    Column("diff_rate_pct", FLOAT64, True),
    Column("extra", STRING, True),
)

_EARN_HISTORY_WALKS = (
    *_RUN,
    *_ACCOUNT,
    Column("mode", STRING, False),
    Column("since", DATE, True),
    Column("order", STRING, False),
    Column("total_count", INT64, False),
    Column("pages_fetched", INT32, False),
    Column("repages", INT32, False),
    Column("complete", BOOL, False),
    Column("error", STRING, True),
    # why a walk was full (first, scheduled, totals, requested); for a finished full
    # walk, how far the pool's own totals (earn-stats) were from the history it read
    Column("trigger", STRING, True),
    Column("unpaid_diff_sat", INT64, True),
    Column("total_paid_diff_sat", INT64, True),
)

_ACCOUNT_INFO = (
    *_RUN,
    *_ACCOUNT,
    Column("user_id", INT64, True),
    Column("user_name", STRING, True),
    Column("address", STRING, True),
    Column("region", STRING, True),
    Column("extra", STRING, True),
)

_EARN_STATS = (
    *_RUN,
    *_ACCOUNT,
    Column("total_paid_sat", INT64, False),
    Column("pending_payouts_sat", INT64, False),
    Column("last_payment_time", UTC_TIME, True),
    Column("earnings_today_sat", INT64, False),
    Column("earnings_yesterday_sat", INT64, False),
    Column("unpaid_sat", INT64, False),
    Column("extra", STRING, True),
)

_HASHRATE = (
    *_RUN,
    *_ACCOUNT,
    Column("shares_15m_hs", FLOAT64, False),
    Column("shares_1d_hs", FLOAT64, False),
    Column("extra", STRING, True),
)

_WORKER_STATS = (
    *_RUN,
    *_ACCOUNT,
    Column("workers_active", INT64, False),
    Column("workers_inactive", INT64, False),
    Column("workers_dead", INT64, False),
    Column("workers_total", INT64, False),
    Column("shares_1m_hs", FLOAT64, False),
    Column("shares_5m_hs", FLOAT64, False),
    Column("shares_15m_hs", FLOAT64, False),
    Column("extra", STRING, True),
)

_POOL_STATS = (
    *_RUN,
    Column("host", STRING, False),
    Column("coin", STRING, False),
    Column("scope", STRING, False),
    Column("shares_1m_hs", FLOAT64, False),
    Column("shares_5m_hs", FLOAT64, False),
    Column("shares_15m_hs", FLOAT64, False),
    Column("reject_1m", FLOAT64, False),
    Column("reject_5m", FLOAT64, False),
    Column("reject_15m", FLOAT64, False),
    Column("workers", INT64, False),
    Column("users", INT64, False),
    Column("extra", STRING, True),
)

_ONCHAIN_TX = (
    *_RUN,
    *_ACCOUNT,
    Column("payment_tx", STRING, False),
    Column("address", STRING, True),
    Column("found", BOOL, False),
    Column("confirmed", BOOL, False),
    Column("block_height", INT64, True),
    Column("block_time", UTC_TIME, True),
    Column("onchain_sat", INT64, True),
)

_PRICES = (
    *_RUN,
    Column("coin", STRING, False),
    Column("currency", STRING, False),
    Column("date", DATE, False),  # the candle's UTC day
    Column("open", PRICE, True),
    Column("high", PRICE, True),
    Column("low", PRICE, True),
    Column("close", PRICE, False),
    Column("volume", PRICE, True),
    # where the row came from: the source's name (`coinbase`), or `override` for a row of
    # the user's override file (each run that reads it writes all of that file's rows)
    Column("source", STRING, False),
    Column("final", BOOL, False),  # its day had closed when fetched
)

# The columns of each dataset of the registry (`datasets.py`), by its name.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "earn_history": _EARN_HISTORY,
    "earn_history_walks": _EARN_HISTORY_WALKS,
    "account_info": _ACCOUNT_INFO,
    "earn_stats": _EARN_STATS,
    "hashrate": _HASHRATE,
    "worker_stats": _WORKER_STATS,
    "pool_stats": _POOL_STATS,
    "onchain_tx": _ONCHAIN_TX,
    "prices": _PRICES,
}
PAGE_ARCHIVES = (PAGES_DATASET, FAILED_PAGES_DATASET)


def _arrow_types() -> dict[str, pa.DataType]:
    """Each type name's Arrow type."""
    import pyarrow as pa

    return {
        STRING: pa.string(),
        INT16: pa.int16(),
        INT32: pa.int32(),
        INT64: pa.int64(),
        FLOAT64: pa.float64(),
        DATE: pa.date32(),
        BOOL: pa.bool_(),
        UTC_TIME: pa.timestamp("us", tz="UTC"),
        PRICE: pa.decimal128(38, 10),
    }


@cache
def _arrow() -> dict[str, Any]:
    """The Arrow side of the registry, made once, when a writer first asks for it."""
    import pyarrow as pa

    types = _arrow_types()
    datasets = {
        dataset: pa.schema([pa.field(c.name, types[c.type], nullable=c.nullable) for c in columns])
        for dataset, columns in COLUMNS.items()
    }
    return {
        "DATASETS": datasets,
        "EARN_HISTORY": datasets["earn_history"],
        "DUCKDB_TYPES": {types[name]: duckdb for name, duckdb in DUCKDB_TYPE.items()},
    }


def __getattr__(name: str) -> Any:
    """`DATASETS`, `EARN_HISTORY` and `DUCKDB_TYPES`, which import pyarrow (PEP 562)."""
    if name in ("DATASETS", "EARN_HISTORY", "DUCKDB_TYPES"):
        return _arrow()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
