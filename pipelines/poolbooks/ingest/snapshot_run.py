"""An account's snapshot endpoints and a host's pool statistics, fetched into a run's buffer."""

from __future__ import annotations

from urllib.parse import urlsplit

from poolbooks.ingest.failed_pages import set_apart
from poolbooks.ingest.rows import pool_stats_row, snapshot_row
from poolbooks.lake.buffer import RunBuffer
from poolbooks.lake.datasets import POOL_STATS as POOL_STATS_DATASET
from poolbooks.lake.datasets import Dataset
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.endpoints import POOL_STATS, POOL_STATS_MERGE, SnapshotEndpoint
from poolbooks.pool_api.errors import PoolApiError


async def fetch_snapshot(
    client: PoolClient, buffer: RunBuffer, account: Account, dataset: Dataset
) -> object:
    """The answer of the dataset's one endpoint: its page archived and its row added, or the
    page set apart and the error raised. Returns the parsed record."""
    (endpoint,) = dataset.endpoints
    assert isinstance(endpoint, SnapshotEndpoint)
    try:
        fetched = await client.snapshot(account, endpoint)
    except PoolApiError as exc:
        set_apart(buffer, account, endpoint.name, exc)
        raise
    buffer.add_page(account.name, endpoint.name, None, fetched.fetched_at, fetched.raw)
    buffer.add_row(dataset.name, snapshot_row(buffer.run_id, account, fetched))
    record: object = fetched.record
    return record


async def fetch_pool_stats(
    client: PoolClient, buffer: RunBuffer, account: Account, merge: bool
) -> None:
    """The statistics of the account's pool host (or of all hosts merged), as one row."""
    endpoint = POOL_STATS_MERGE if merge else POOL_STATS
    host = urlsplit(account.api_base_url).netloc
    try:
        fetched = await client.snapshot(account, endpoint)
    except PoolApiError as exc:
        set_apart(buffer, account, endpoint.name, exc, host=host)
        raise
    buffer.add_page(account.name, endpoint.name, None, fetched.fetched_at, fetched.raw, host=host)
    scope = "merge" if merge else "node"
    row = pool_stats_row(buffer.run_id, host, account.coin, scope, fetched)
    buffer.add_row(POOL_STATS_DATASET.name, row)
