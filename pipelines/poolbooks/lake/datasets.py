"""The registry of lake datasets: one declaration each (the endpoints whose answers it holds,
the columns that identify a row, what it is; its Arrow schema, declared in `schemas.py` under
its name), read by ingest, reparse, the lake, the Dagster assets and the docs. Nothing here
loads Arrow: an ingest's first requests go out while Arrow loads in a worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from poolbooks.pool_api import endpoints
from poolbooks.pool_api.endpoints import Endpoint

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Dataset:
    name: str
    key: tuple[str, ...]  # a row seen twice (say, during compaction) is one row
    description: str
    endpoints: tuple[Endpoint, ...] = ()  # whose answers it holds; none: not the pool's
    per_account: bool = True  # an account's point-in-time answer (else once per pool host)

    @property
    def schema(self) -> pa.Schema:
        """Its Arrow schema (loads Arrow)."""
        from poolbooks.lake.schemas import DATASETS

        return DATASETS[self.name]

    @property
    def is_snapshot(self) -> bool:
        """Point-in-time: fetched on the snapshot schedule, one row per answer."""
        return bool(self.endpoints) and self.name != "earn_history"


EARN_HISTORY = Dataset(
    "earn_history",
    ("run_id", "account", "date", "payment_tx"),  # a row per payment
    "Every earn-history row as observed, one observation per account, day, payment and run.",
    (endpoints.EARN_HISTORY,),
)
EARN_HISTORY_WALKS = Dataset(
    "earn_history_walks",
    ("run_id", "account"),
    "One row per earn-history walk: mode, order, pages, whether it finished, and why it was full.",
)
ACCOUNT_INFO = Dataset(
    "account_info",
    ("run_id", "account"),
    "account/info snapshots: payout address and user fields.",
    (endpoints.ACCOUNT_INFO,),
)
EARN_STATS = Dataset(
    "earn_stats",
    ("run_id", "account"),
    "account/earn-stats snapshots: the pool's own totals, in satoshi.",
    (endpoints.EARN_STATS,),
)
HASHRATE = Dataset(
    "hashrate",
    ("run_id", "account"),
    "realtime/hashrate snapshots in H/s.",
    (endpoints.HASHRATE,),
)
WORKER_STATS = Dataset(
    "worker_stats",
    ("run_id", "account"),
    "worker/stats snapshots: workers and hashrate.",
    (endpoints.WORKER_STATS,),
)
POOL_STATS = Dataset(
    "pool_stats",
    ("run_id", "host", "scope"),
    "Public pool statistics per host, node and merged.",
    (endpoints.POOL_STATS, endpoints.POOL_STATS_MERGE),
    per_account=False,
)
ONCHAIN_TX = Dataset(
    "onchain_tx",
    ("run_id", "account", "payment_tx"),
    "Esplora's answer for every payout not yet confirmed on chain.",
)
PRICES = Dataset(
    "prices",
    ("run_id", "coin", "currency", "date", "source"),
    "Daily candles (open, high, low, close) per coin and currency from the price source, and "
    "the rows of the user's override files.",
    per_account=False,
)

REGISTRY: dict[str, Dataset] = {
    d.name: d
    for d in (
        EARN_HISTORY,
        EARN_HISTORY_WALKS,
        ACCOUNT_INFO,
        EARN_STATS,
        HASHRATE,
        WORKER_STATS,
        POOL_STATS,
        ONCHAIN_TX,
        PRICES,
    )
}
# Read off the registry, for the lake's machinery and the assets.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {name: d.key for name, d in REGISTRY.items()}
SNAPSHOTS: tuple[Dataset, ...] = tuple(d for d in REGISTRY.values() if d.is_snapshot)
SNAPSHOT_DATASETS: tuple[str, ...] = tuple(d.name for d in SNAPSHOTS)
ACCOUNT_SNAPSHOTS: tuple[Dataset, ...] = tuple(d for d in SNAPSHOTS if d.per_account)
# The dataset each endpoint's answers go to.
BY_ENDPOINT: dict[str, Dataset] = {e.name: d for d in REGISTRY.values() for e in d.endpoints}
