"""An ingest run: every account concurrently through one client, committed to the lake once."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import anyio

from poolbooks.ingest.full_walks import PoolTotals
from poolbooks.ingest.history_run import HistoryRun
from poolbooks.ingest.progress import Progress, SilentProgress
from poolbooks.ingest.reports import AccountOutcome, IngestReport
from poolbooks.ingest.run_ids import new_run_id
from poolbooks.ingest.run_lake import RunLake
from poolbooks.ingest.settings import IngestConfig
from poolbooks.ingest.snapshot_run import fetch_pool_stats, fetch_snapshot
from poolbooks.lake.buffer import RunBuffer
from poolbooks.lake.datasets import ACCOUNT_SNAPSHOTS, Dataset
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.errors import AuthError, PoolApiError
from poolbooks.pool_api.records import EarnStats

if TYPE_CHECKING:  # Arrow loads in a worker thread while the first requests go out
    from poolbooks.lake.storage import LakeStorage


async def ingest(
    config: IngestConfig,
    accounts: Sequence[Account],
    storage: LakeStorage | None,
    *,
    history: bool = True,
    snapshots: bool = True,
    full: bool = False,
    client: PoolClient | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Fetch earn-history (incremental unless `full`) and/or snapshots for `accounts`.

    One account's failure does not stop the others; their data is committed and the
    failure is in the report. Nothing is written until every account has finished.
    `storage` None opens the lake at `config.lake`, in a worker thread while the first
    requests go out (pyarrow takes a fifth of a second to import). A new location is made a
    lake then (`lake.marker.create_lake`); one that is not a lake stops the run.
    """
    owned = client is None
    client = client or PoolClient(config.client, timezone=config.timezone)
    # the run is stamped on the client's clock (the pool's, for a simulated pool in its time)
    now = client.clock()
    report = IngestReport(run_id=new_run_id(now), started_at=datetime.now(UTC))
    progress = progress or SilentProgress()
    buffer = RunBuffer(report.run_id)
    try:
        job = _Job(client, buffer, report, progress, full, now, config.ingest.full_walk_days)
        for account in accounts:
            report.outcomes[account.name] = AccountOutcome(account.name)
        async with anyio.create_task_group() as group:
            group.start_soon(job.lake.open, storage, config, group.cancel_scope)
            group.start_soon(anyio.to_thread.run_sync, _warm_up_arrow)
            names = [a.name for a in accounts]
            if history and not full:  # read in a thread while the snapshots go out
                group.start_soon(job.lake.load_states, names, not snapshots)
            else:
                job.lake.states_ready.set()
            if snapshots:
                group.start_soon(job.pool_stats, accounts)
            for account in accounts:
                group.start_soon(job.account, account, history, snapshots)
    finally:
        report.requests = client.stats.requests
        report.retries = client.stats.retries
        report.rate_limited = client.stats.rate_limited
        if owned:
            await client.aclose()
    if job.lake.error is not None:
        raise job.lake.error
    lake = job.lake.storage
    assert lake is not None  # set by RunLake.open, or its error raised above
    fetch_date = f"{now:%Y-%m-%d}"
    report.files = await anyio.to_thread.run_sync(
        lambda: buffer.commit(lake, fetch_date, on_wait=progress.waiting)
    )
    report.finished_at = datetime.now(UTC)
    return report


class _Job:
    """One run's work per account: its snapshots, then its walk; each account's first error
    recorded in its outcome while its other endpoints go on."""

    def __init__(
        self,
        client: PoolClient,
        buffer: RunBuffer,
        report: IngestReport,
        progress: Progress,
        full: bool,
        now: datetime,
        full_walk_days: int,
    ) -> None:
        self.client = client
        self.buffer = buffer
        self.report = report
        self.progress = progress
        self.pool_totals: dict[str, PoolTotals] = {}  # this run's earn-stats, by account
        self.lake = RunLake(now, self.pool_totals)
        self.walks = HistoryRun(
            client, buffer, progress, now, full, full_walk_days, self.pool_totals
        )

    async def account(self, account: Account, history: bool, snapshots: bool) -> None:
        """Snapshots first (they need nothing from the lake), then earn-history."""
        outcome = self.report.outcomes[account.name]
        self.progress.started(account.name)
        try:
            if snapshots:
                for dataset in ACCOUNT_SNAPSHOTS:
                    await self._guard(outcome, self.snapshot(account, dataset))
            if history:
                await self.lake.states_ready.wait()
                state = self.lake.state(account.name)
                await self._guard(outcome, self.walks.history(account, outcome, state))
        except AuthError:
            pass  # a refused key fails every endpoint alike: stop this account here
        finally:
            self.progress.finished(outcome)

    async def _guard(self, outcome: AccountOutcome, work: Awaitable[None]) -> None:
        """Record the first error of an account and go on with its other endpoints."""
        try:
            await work
        except PoolApiError as exc:
            if outcome.error is None:
                outcome.error, outcome.retryable = str(exc), exc.retryable
            if isinstance(exc, AuthError):
                raise

    async def snapshot(self, account: Account, dataset: Dataset) -> None:
        record = await fetch_snapshot(self.client, self.buffer, account, dataset)
        if isinstance(record, EarnStats):  # the pool's totals, to check the history
            self.pool_totals[account.name] = PoolTotals.of(record)
        outcome = self.report.outcomes[account.name]
        outcome.snapshots += 1

    async def pool_stats(self, accounts: Sequence[Account]) -> None:
        """Pool statistics once per pool host (and once merged), via its first account."""
        first_on_host: dict[str, Account] = {}
        for account in accounts:
            first_on_host.setdefault(account.api_base_url, account)
        for account in first_on_host.values():
            outcome = self.report.outcomes[account.name]
            for merge in (False, True):
                with contextlib.suppress(AuthError):  # already recorded by _guard
                    work = fetch_pool_stats(self.client, self.buffer, account, merge)
                    await self._guard(outcome, work)


def _warm_up_arrow() -> None:
    from poolbooks.ingest.batches import warm_up_arrow

    warm_up_arrow()
