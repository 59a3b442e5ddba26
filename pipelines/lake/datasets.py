"""The registry of lake datasets: one declaration each (the endpoints whose answers it holds,
its Arrow schema, the columns that identify a row, what it is), read by the client's callers,
ingest, reparse, the lake, the Dagster assets and the docs."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from pipelines.lake import schemas
from pipelines.pool_api import endpoints
from pipelines.pool_api.endpoints import Endpoint


@dataclass(frozen=True)
class Dataset:
    name: str
    schema: pa.Schema
    key: tuple[str, ...]  # a row seen twice (say, during compaction) is one row
    description: str
    endpoints: tuple[Endpoint, ...] = ()  # whose answers it holds; none: not the pool's
    per_account: bool = True  # an account's point-in-time answer (else once per pool host)

    @property
    def is_snapshot(self) -> bool:
        """Point-in-time: fetched on the snapshot schedule, one row per answer."""
        return bool(self.endpoints) and self.name != "earn_history"


EARN_HISTORY = Dataset(
    "earn_history",
    schemas.EARN_HISTORY,
    ("run_id", "account", "date", "payment_tx"),  # a row per payment
    "Every earn-history row as observed, one observation per account, day, payment and run.",
    (endpoints.EARN_HISTORY,),
)
EARN_HISTORY_WALKS = Dataset(
    "earn_history_walks",
    schemas.EARN_HISTORY_WALKS,
    ("run_id", "account"),
    "One row per earn-history walk: mode, order, pages, whether it finished, and why it was full.",
)
ACCOUNT_INFO = Dataset(
    "account_info",
    schemas.ACCOUNT_INFO,
    ("run_id", "account"),
    "account/info snapshots: payout address and user fields.",
    (endpoints.ACCOUNT_INFO,),
)
EARN_STATS = Dataset(
    "earn_stats",
    schemas.EARN_STATS,
    ("run_id", "account"),
    "account/earn-stats snapshots: the pool's own totals, in satoshi.",
    (endpoints.EARN_STATS,),
)
HASHRATE = Dataset(
    "hashrate",
    schemas.HASHRATE,
    ("run_id", "account"),
    "realtime/hashrate snapshots in H/s.",
    (endpoints.HASHRATE,),
)
WORKER_STATS = Dataset(
    "worker_stats",
    schemas.WORKER_STATS,
    ("run_id", "account"),
    "worker/stats snapshots: workers and hashrate.",
    (endpoints.WORKER_STATS,),
)
POOL_STATS = Dataset(
    "pool_stats",
    schemas.POOL_STATS,
    ("run_id", "host", "scope"),
    "Public pool statistics per host, node and merged.",
    (endpoints.POOL_STATS, endpoints.POOL_STATS_MERGE),
    per_account=False,
)
ONCHAIN_TX = Dataset(
    "onchain_tx",
    schemas.ONCHAIN_TX,
    ("run_id", "account", "payment_tx"),
    "Esplora's answer for every payout not yet confirmed on chain.",
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
    )
}
# Read off the registry, for the lake's machinery and the assets.
DATASETS: dict[str, pa.Schema] = {name: d.schema for name, d in REGISTRY.items()}
NATURAL_KEYS: dict[str, tuple[str, ...]] = {name: d.key for name, d in REGISTRY.items()}
SNAPSHOTS: tuple[Dataset, ...] = tuple(d for d in REGISTRY.values() if d.is_snapshot)
SNAPSHOT_DATASETS: tuple[str, ...] = tuple(d.name for d in SNAPSHOTS)
ACCOUNT_SNAPSHOTS: tuple[Dataset, ...] = tuple(d for d in SNAPSHOTS if d.per_account)
# The dataset each endpoint's answers go to.
BY_ENDPOINT: dict[str, Dataset] = {e.name: d for d in REGISTRY.values() for e in d.endpoints}
