"""The lake's archived pages read again with today's parser, into rows by dataset."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import pyarrow as pa

from poolbooks.ingest.archive import ArchivedPage, archived_pages
from poolbooks.ingest.batches import earn_history_batch
from poolbooks.ingest.reparse_report import FailingPage, ReparseReport
from poolbooks.ingest.rows import pool_stats_row, snapshot_row
from poolbooks.ingest.settings import IngestConfig
from poolbooks.lake.datasets import BY_ENDPOINT
from poolbooks.lake.schemas import DATASETS, PARTITION_KEY
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.earn_history import parse_earn_history_page
from poolbooks.pool_api.endpoints import SNAPSHOT_ENDPOINTS
from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.errors import PoolApiError
from poolbooks.pool_api.records import EarnHistoryPage, Fetched
from poolbooks.pool_api.walk_days import WalkedPage, last_walk_per_day

HISTORY_ENDPOINT = "earn-history"
POOL_STATS_SCOPE = {"pool-stats": "node", "pool-stats-merge": "merge"}


@dataclass
class Derived:
    """What the archive yields for one dataset: rows, the units they replace, and the units
    (or history pages) whose existing rows stay because their page still fails."""

    rows: list[pa.RecordBatch] = field(default_factory=list)
    units: set[tuple[str, ...]] = field(default_factory=set)
    kept_pages: set[tuple[str, str, int]] = field(default_factory=set)


def derived_from_archive(
    storage: LakeStorage, chosen: dict[str, Account], config: IngestConfig, report: ReparseReport
) -> dict[str, Derived]:
    """Every archived page of the `chosen` accounts read again, by dataset; the pages read,
    recovered and still failing counted in `report`, and accounts no longer configured named."""
    derived: dict[str, Derived] = defaultdict(Derived)
    walks: dict[tuple[str, str, str], list[_ReadPage]] = defaultdict(list)
    configured = {a.name for a in config.accounts}
    for page in archived_pages(storage):
        account = chosen.get(page.account)
        if account is None:
            if page.account not in configured:
                report.not_configured.add(page.account)
            continue
        report.pages += 1
        if page.endpoint == HISTORY_ENDPOINT:  # read now: the body need not be kept
            walks[(page.fetch_date, page.run_id, page.account)].append(
                _read_history_page(page, account, config, report)
            )
        elif page.endpoint in SNAPSHOT_ENDPOINTS:
            _snapshot(page, account, derived[BY_ENDPOINT[page.endpoint].name], report)
    for (fetch_date, run_id, name), pages in walks.items():
        _history(fetch_date, run_id, pages, chosen[name], derived["earn_history"])
    return derived


@dataclass(frozen=True)
class _ReadPage:
    """An archived earn-history page as today's parser reads it (None: it cannot), less its
    body."""

    position: int
    walk: int | None
    page: int | None
    parsed: EarnHistoryPage | None


def _read_history_page(
    page: ArchivedPage, account: Account, config: IngestConfig, report: ReparseReport
) -> _ReadPage:
    where = Where(account.name, HISTORY_ENDPOINT, page.page)
    try:
        parsed = parse_earn_history_page(page.body, where, config.timezone, page.fetched_at)
    except PoolApiError as exc:
        _failing(page, exc, report)
        return _ReadPage(page.position, page.walk, page.page, None)
    report.recovered += page.set_apart
    return _ReadPage(
        page.position, page.walk, page.page, replace(_keep_number(parsed, page), raw=b"")
    )


def _history(
    fetch_date: str, run_id: str, pages: list[_ReadPage], account: Account, derived: Derived
) -> None:
    """One run's walk of one account: its rows as the ingest keeps them, each day from the
    last walk that saw it. Pages archived before walks were numbered count as one walk each,
    which is the rule they were written under. The rows of a page that still fails stay."""
    derived.units.add((fetch_date, run_id, account.name))
    numbered = all(page.walk is not None for page in pages)
    walked: list[WalkedPage] = []
    for page in sorted(pages, key=lambda p: p.position):
        if page.parsed is None:
            derived.kept_pages.add((run_id, account.name, page.page or 0))
            continue
        walk = page.walk if page.walk is not None else page.position
        walked.append(WalkedPage(walk, page.parsed))
    partition = pa.array([fetch_date])
    for kept in last_walk_per_day(walked, days_span_pages=numbered):
        batch = earn_history_batch(run_id, account, kept)
        derived.rows.append(
            batch.append_column(PARTITION_KEY, pa.repeat(partition[0], batch.num_rows))
        )


def _keep_number(parsed: EarnHistoryPage, page: ArchivedPage) -> EarnHistoryPage:
    """The page number the request asked for, as the ingest stored it."""
    if page.page is None or parsed.page == page.page:
        return parsed
    return replace(parsed, page=page.page)


def _snapshot(
    page: ArchivedPage, account: Account, derived: Derived, report: ReparseReport
) -> None:
    scope = POOL_STATS_SCOPE.get(page.endpoint)
    host = page.host or urlsplit(account.api_base_url).netloc
    unit = (page.fetch_date, page.run_id, host, scope) if scope else None
    try:
        parse = SNAPSHOT_ENDPOINTS[page.endpoint].parse
        record = parse(page.body, Where(account.name, page.endpoint))
    except PoolApiError as exc:
        _failing(page, exc, report)
        return  # its unit is not replaced: whatever rows it has stay
    report.recovered += page.set_apart
    fetched = Fetched(record, page.body, page.fetched_at)
    if scope is not None and unit is not None:
        row = pool_stats_row(page.run_id, host, account.coin, scope, fetched)  # type: ignore[arg-type]
        derived.units.add(unit)
    else:
        row = snapshot_row(page.run_id, account, fetched)
        derived.units.add((page.fetch_date, page.run_id, account.name))
    dataset = BY_ENDPOINT[page.endpoint].name
    batch = pa.RecordBatch.from_pylist([row], schema=DATASETS[dataset])
    derived.rows.append(_with_partition(batch, page))


def _failing(page: ArchivedPage, error: PoolApiError, report: ReparseReport) -> None:
    report.failing.append(
        FailingPage(page.fetch_date, page.account, page.endpoint, page.page, str(error))
    )


def _with_partition(batch: pa.RecordBatch, page: ArchivedPage) -> pa.RecordBatch:
    return batch.append_column(PARTITION_KEY, pa.array([page.fetch_date] * batch.num_rows))
