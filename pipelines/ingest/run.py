"""An ingest run: every account concurrently through one client, committed to the lake once."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import anyio

from pipelines.ingest.full_walks import (
    TOTALS,
    PoolTotals,
    history_totals,
    scheduled_reason,
    totals_call_for_a_walk,
    totals_gap,
)
from pipelines.ingest.rows import pool_stats_row, snapshot_row, walk_row
from pipelines.ingest.run_ids import new_run_id
from pipelines.ingest.settings import IngestConfig
from pipelines.ingest.state import HistoryState, read_history_state
from pipelines.lake.buffer import RunBuffer
from pipelines.lake.datasets import ACCOUNT_SNAPSHOTS, Dataset
from pipelines.lake.datasets import POOL_STATS as POOL_STATS_DATASET
from pipelines.pool_api.accounts import Account
from pipelines.pool_api.client import PoolClient
from pipelines.pool_api.endpoints import POOL_STATS, POOL_STATS_MERGE, SnapshotEndpoint
from pipelines.pool_api.errors import AuthError, PoolApiError
from pipelines.pool_api.paging import earn_history_pages
from pipelines.pool_api.records import EarnStats
from pipelines.pool_api.walk_days import WalkedPage, last_walk_per_day
from pipelines.pool_api.walk_report import PagingHint, WalkReport

if TYPE_CHECKING:  # Arrow loads in a worker thread while the first requests go out
    from pipelines.lake.storage import LakeStorage
    from pipelines.lake.writer import WrittenFile

# a run without snapshots checks the history against earn-stats no older than this
RECENT_TOTALS = timedelta(hours=1)


class Progress(Protocol):
    """What a run tells its watcher: a progress bar on a terminal, log lines otherwise."""

    def started(self, account: str) -> None: ...
    def advanced(self, account: str, done: int, total: int) -> None: ...
    def finished(self, outcome: AccountOutcome) -> None: ...
    def waiting(self, message: str) -> None: ...


class SilentProgress:
    def started(self, account: str) -> None:
        pass

    def advanced(self, account: str, done: int, total: int) -> None:
        pass

    def finished(self, outcome: AccountOutcome) -> None:
        pass

    def waiting(self, message: str) -> None:
        pass


@dataclass
class AccountOutcome:
    """What one account's part of a run fetched, or the first error that stopped it."""

    account: str
    history_mode: str | None = None
    history_pages: int = 0
    history_rows: int = 0
    snapshots: int = 0
    error: str | None = None
    retryable: bool = False  # the first error may pass if tried later (HTTP, timeouts, busy)
    full_walk_reason: str | None = None  # why earn-history was walked in full (full_walks)


@dataclass
class IngestReport:
    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    outcomes: dict[str, AccountOutcome] = field(default_factory=dict)
    files: list[WrittenFile] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0

    @property
    def failed(self) -> list[AccountOutcome]:
        return [o for o in self.outcomes.values() if o.error is not None]

    def rows(self, dataset: str) -> int:
        return sum(f.rows for f in self.files if f.dataset == dataset)

    @property
    def pages(self) -> int:
        return sum(o.history_pages for o in self.outcomes.values())


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
            group.start_soon(job.open_lake, storage, config, group.cancel_scope)
            group.start_soon(anyio.to_thread.run_sync, _warm_up_arrow)
            names = [a.name for a in accounts]
            if history and not full:  # read in a thread while the snapshots go out
                group.start_soon(job.load_states, names, not snapshots)
            else:
                job.states_ready.set()
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
    if job.lake_error is not None:
        raise job.lake_error
    lake = job.storage
    assert lake is not None  # set by open_lake, or lake_error raised above
    fetch_date = f"{now:%Y-%m-%d}"
    report.files = await anyio.to_thread.run_sync(
        lambda: buffer.commit(lake, fetch_date, on_wait=progress.waiting)
    )
    report.finished_at = datetime.now(UTC)
    return report


class _Job:
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
        self.full = full
        self.now = now
        self.full_walk_days = full_walk_days
        self.pool_totals: dict[str, PoolTotals] = {}  # this run's earn-stats, by account
        self.states: dict[str, HistoryState] = {}
        self.states_ready = anyio.Event()
        self.storage: LakeStorage | None = None
        self.lake_error: Exception | None = None
        self.lake_ready = anyio.Event()

    async def open_lake(
        self, storage: LakeStorage | None, config: IngestConfig, run: anyio.CancelScope
    ) -> None:
        """The lake (and with it pyarrow) in a worker thread; a lake that cannot be opened
        stops the run, since nothing fetched could be kept."""
        try:
            self.storage = await anyio.to_thread.run_sync(_open_lake, storage, config)
        except Exception as exc:
            self.lake_error = exc
            run.cancel()
        finally:
            self.lake_ready.set()

    async def load_states(self, names: list[str], with_lake_totals: bool) -> None:
        """Where each account's walk starts; for a run without snapshots, the pool's totals
        as the lake's latest earn-stats has them, when that is recent."""
        try:
            await self.lake_ready.wait()
            if self.storage is not None:
                self.states = await anyio.to_thread.run_sync(
                    read_history_state, self.storage, names
                )
                if with_lake_totals:
                    from pipelines.ingest.full_walks import recent_pool_totals

                    recent = await anyio.to_thread.run_sync(
                        recent_pool_totals, self.storage, names, self.now - RECENT_TOTALS
                    )
                    self.pool_totals.update(recent)
        finally:
            self.states_ready.set()

    async def account(self, account: Account, history: bool, snapshots: bool) -> None:
        """Snapshots first (they need nothing from the lake), then earn-history."""
        outcome = self.report.outcomes[account.name]
        self.progress.started(account.name)
        try:
            if snapshots:
                for dataset in ACCOUNT_SNAPSHOTS:
                    await self._guard(outcome, self.snapshot(account, dataset))
            if history:
                await self.states_ready.wait()
                await self._guard(outcome, self.history(account, outcome))
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

    async def history(self, account: Account, outcome: AccountOutcome) -> None:
        """Walk the account's earn-history, in full when one is due (see `full_walks`), or
        incrementally and then in full if the pool's own totals disagree with the history."""
        # loaded by the warm-up thread long before the first page (see _warm_up_arrow)
        from pipelines.ingest.batches import earn_history_batch

        state = self.states.get(account.name, HistoryState(None, None))
        reason = scheduled_reason(state, account.name, self.now, self.full_walk_days, self.full)
        walked: list[WalkedPage] = []
        walk = WalkReport()
        since, hint = (None, None) if reason else (state.since, state.hint)
        error = await self._walk(account, since, hint, walk, walked, first_walk=0)
        totals = self.pool_totals.get(account.name)
        full_from = 0  # the first walk number of the full walk, if there is one
        if reason is None and error is None and totals is not None and since is not None:
            rows = (r for page in last_walk_per_day(walked) for r in page.rows if r.date >= since)
            earned, paid = history_totals(rows)
            gap = totals_gap(state.earned_before + earned, state.paid_before + paid, totals)
            if totals_call_for_a_walk(gap, state):
                reason, full_from = TOTALS, walk.repages + 1
                incremental_pages, walk = walk.pages_fetched, WalkReport()
                error = await self._walk(account, None, None, walk, walked, full_from)
                walk.pages_fetched += incremental_pages
        gap_after: tuple[int, int] | None = None
        if reason is not None and error is None and totals is not None:
            full_walk = [w for w in walked if w.walk >= full_from]
            rows = (r for page in last_walk_per_day(full_walk) for r in page.rows)
            gap_after = totals_gap(*history_totals(rows), totals)
        for page in last_walk_per_day(walked):
            self.buffer.add_batch(
                "earn_history", earn_history_batch(self.buffer.run_id, account, page)
            )
            outcome.history_rows += len(page.rows)
        outcome.history_pages = walk.pages_fetched
        outcome.history_mode = walk.mode
        outcome.full_walk_reason = reason
        message = str(error) if error else None
        walked_since = None if reason else since  # a full walk has no start day
        row = walk_row(self.buffer.run_id, account, self.now, walk, walked_since, message)
        row.update(trigger=reason, unpaid_diff_sat=None, total_paid_diff_sat=None)
        if gap_after is not None:
            row.update(unpaid_diff_sat=gap_after[0], total_paid_diff_sat=gap_after[1])
        self.buffer.add_row("earn_history_walks", row)
        if error is not None:
            raise error

    async def _walk(
        self,
        account: Account,
        since: date | None,
        hint: PagingHint | None,
        walk: WalkReport,
        walked: list[WalkedPage],
        first_walk: int,
    ) -> PoolApiError | None:
        """One walk (and its restarts after drift), its pages archived and added to `walked`
        numbered from `first_walk`; the error that stopped it, if any. The pages fetched
        before an error are kept, and those that could not be read are set apart."""
        error: PoolApiError | None = None
        try:
            async for page in earn_history_pages(
                self.client, account, since=since, hint=hint, report=walk
            ):
                number = first_walk + walk.repages
                self.buffer.add_page(
                    account.name, "earn-history", page.page, page.fetched_at, page.raw, walk=number
                )
                walked.append(WalkedPage(number, page))
                self.progress.advanced(account.name, len(walked), page.page_count)
        except PoolApiError as exc:
            error = exc
        unread: list[tuple[int, PoolApiError]] = list(walk.bad_pages)
        if error is not None and all(error is not bad for _, bad in unread):
            unread.append((walk.repages, error))
        for number, bad in unread:
            self._set_apart(account, "earn-history", bad, walk=first_walk + number)
        return error

    def _set_apart(self, account: Account, endpoint: str, error: PoolApiError, **line: Any) -> None:
        """Archive a page that came but could not be read, with its error, apart from the
        pages that parsed: `poolbooks reparse` reads it again with a later parser."""
        if error.body is not None and error.fetched_at is not None:
            page = getattr(error, "page", None)
            self.buffer.add_page(
                account.name, endpoint, page, error.fetched_at, error.body, error=str(error), **line
            )

    async def snapshot(self, account: Account, dataset: Dataset) -> None:
        (endpoint,) = dataset.endpoints
        assert isinstance(endpoint, SnapshotEndpoint)
        try:
            fetched = await self.client.snapshot(account, endpoint)
        except PoolApiError as exc:
            self._set_apart(account, endpoint.name, exc)
            raise
        self.buffer.add_page(account.name, endpoint.name, None, fetched.fetched_at, fetched.raw)
        self.buffer.add_row(dataset.name, snapshot_row(self.buffer.run_id, account, fetched))
        if isinstance(fetched.record, EarnStats):  # the pool's totals, to check the history
            self.pool_totals[account.name] = PoolTotals.of(fetched.record)
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
                    await self._guard(outcome, self._pool_stats(account, merge))

    async def _pool_stats(self, account: Account, merge: bool) -> None:
        endpoint = POOL_STATS_MERGE if merge else POOL_STATS
        host = urlsplit(account.api_base_url).netloc
        try:
            fetched = await self.client.snapshot(account, endpoint)
        except PoolApiError as exc:
            self._set_apart(account, endpoint.name, exc, host=host)
            raise
        self.buffer.add_page(
            account.name, endpoint.name, None, fetched.fetched_at, fetched.raw, host=host
        )
        scope = "merge" if merge else "node"
        row = pool_stats_row(self.buffer.run_id, host, account.coin, scope, fetched)
        self.buffer.add_row(POOL_STATS_DATASET.name, row)


def _open_lake(storage: LakeStorage | None, config: IngestConfig) -> LakeStorage:
    from pipelines.lake.marker import create_lake

    return create_lake(storage if storage is not None else config.lake, config.source)


def _warm_up_arrow() -> None:
    from pipelines.ingest.batches import warm_up_arrow

    warm_up_arrow()
