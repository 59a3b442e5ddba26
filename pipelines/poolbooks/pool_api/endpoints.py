"""The pool API's endpoints: each one's path, whether it takes the access key, and (for the
point-in-time ones) the parser that reads its answer. The client and reparse both read them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from poolbooks.pool_api import snapshots
from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.records import SnapshotRecord

T = TypeVar("T", bound=SnapshotRecord)


@dataclass(frozen=True)
class Endpoint:
    """One endpoint of the API; `name` is how errors, archives and the lake call it."""

    name: str
    path: str
    needs_key: bool


@dataclass(frozen=True)
class SnapshotEndpoint(Endpoint, Generic[T]):
    """A point-in-time endpoint: one answer is one record."""

    parse: Callable[[bytes, Where], T]


ACCOUNT_INFO = SnapshotEndpoint(
    "account-info", "/v1/account/info", True, snapshots.parse_account_info
)
EARN_STATS = SnapshotEndpoint(
    "earn-stats", "/v1/account/earn-stats", True, snapshots.parse_earn_stats
)
EARN_HISTORY = Endpoint("earn-history", "/v1/account/earn-history", True)
HASHRATE = SnapshotEndpoint("hashrate", "/v1/realtime/hashrate", True, snapshots.parse_hashrate)
WORKER_STATS = SnapshotEndpoint(
    "worker-stats", "/v1/worker/stats", True, snapshots.parse_worker_stats
)
POOL_STATS = SnapshotEndpoint(
    "pool-stats", "/public/v1/pool/stats", False, snapshots.parse_pool_stats
)
POOL_STATS_MERGE = SnapshotEndpoint(
    "pool-stats-merge", "/public/v1/pool/stats/merge", False, snapshots.parse_pool_stats
)

ENDPOINTS: dict[str, Endpoint] = {
    e.name: e
    for e in (
        ACCOUNT_INFO,
        EARN_STATS,
        EARN_HISTORY,
        HASHRATE,
        WORKER_STATS,
        POOL_STATS,
        POOL_STATS_MERGE,
    )
}
# How each point-in-time endpoint's archived answer is read again (`poolbooks reparse`).
SNAPSHOT_ENDPOINTS: dict[str, SnapshotEndpoint[SnapshotRecord]] = {
    e.name: e for e in ENDPOINTS.values() if isinstance(e, SnapshotEndpoint)
}
