"""`poolbooks reparse`: the lake's pool datasets derived again from its archived pages with
today's parser, without a request, and committed atomically.

Every page an ingest fetched is archived verbatim (those that did not parse set apart with
their error), so a parser fix reaches old data: each (run, account) whose pages are archived
gets the rows today's parser reads from them, in place of the rows it has. Rows of a page that
today's parser still cannot read are kept as they are, never dropped; rows of accounts the
config no longer names, and datasets no page yields (walk records, on-chain checks), are left
alone. Partitions that change are rewritten as one new file each, and the old files replaced,
in one journaled commit: readers see the lake before or after, never between.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.ingest.archive import ArchivedPage, archived_pages
from pipelines.ingest.batches import earn_history_batch
from pipelines.ingest.rows import pool_stats_row, snapshot_row
from pipelines.ingest.settings import IngestConfig
from pipelines.lake.compact import conform, finish_interrupted
from pipelines.lake.datasets import BY_ENDPOINT, DATASETS, NATURAL_KEYS
from pipelines.lake.journal import journaled_commit
from pipelines.lake.lock import lake_lock
from pipelines.lake.readable import readable_files
from pipelines.lake.schemas import PARTITION_KEY
from pipelines.lake.storage import LakeStorage
from pipelines.lake.writer import (
    WrittenFile,
    dataset_file_path,
    fetch_date_of,
    recover,
    write_parquet,
)
from pipelines.pool_api.accounts import Account
from pipelines.pool_api.earn_history import parse_earn_history_page
from pipelines.pool_api.endpoints import SNAPSHOT_ENDPOINTS
from pipelines.pool_api.envelope import Where
from pipelines.pool_api.errors import PoolApiError
from pipelines.pool_api.records import EarnHistoryPage, Fetched
from pipelines.pool_api.walk_days import WalkedPage, last_walk_per_day

HISTORY_ENDPOINT = "earn-history"
POOL_STATS_SCOPE = {"pool-stats": "node", "pool-stats-merge": "merge"}
REPARSED_PREFIX = "part-reparsed-"


@dataclass(frozen=True)
class FailingPage:
    """A page today's parser cannot read either."""

    fetch_date: str
    account: str
    endpoint: str
    page: int | None
    error: str


@dataclass
class DatasetChange:
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class ReparseReport:
    run_id: str
    pages: int = 0
    recovered: int = 0  # pages set apart when fetched that today's parser reads
    failing: list[FailingPage] = field(default_factory=list)
    changes: dict[str, DatasetChange] = field(default_factory=dict)
    files: list[WrittenFile] = field(default_factory=list)
    replaced: int = 0
    not_configured: set[str] = field(default_factory=set)  # accounts left as they are


@dataclass
class _Derived:
    """What the archive yields for one dataset: rows, the units they replace, and the units
    (or history pages) whose existing rows stay because their page still fails."""

    rows: list[pa.RecordBatch] = field(default_factory=list)
    units: set[tuple[str, ...]] = field(default_factory=set)
    kept_pages: set[tuple[str, str, int]] = field(default_factory=set)


def reparse_lake(
    config: IngestConfig,
    storage: LakeStorage,
    accounts: Sequence[Account] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> ReparseReport:
    """Derive the pool datasets of `accounts` (default: all configured) from the archive
    again and commit what changed. Holds the lake's writer lock throughout."""
    chosen = {a.name: a for a in (accounts if accounts is not None else config.accounts)}
    report = ReparseReport(run_id=_reparse_id())
    with lake_lock(storage, on_wait=on_wait):
        recover(storage)
        finish_interrupted(storage)
        derived = _derive(storage, chosen, config, report)
        tables = {name: _partitions(storage, name, derived[name]) for name in derived}
        _commit(storage, tables, report)
    return report


def _reparse_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}Z-reparse-{secrets.token_hex(4)}"


# --- the archive, read again ---------------------------------------------------------------


def _derive(
    storage: LakeStorage, chosen: dict[str, Account], config: IngestConfig, report: ReparseReport
) -> dict[str, _Derived]:
    derived: dict[str, _Derived] = defaultdict(_Derived)
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
    fetch_date: str, run_id: str, pages: list[_ReadPage], account: Account, derived: _Derived
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
    page: ArchivedPage, account: Account, derived: _Derived, report: ReparseReport
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


# --- the new partitions, and what changed ---------------------------------------------------


@dataclass
class _Partitions:
    """A dataset's rows as they are and as they will be, by fetch date; which partitions
    change and their files."""

    change: DatasetChange
    changed: list[str]
    new_rows: dict[str, pa.Table]
    old_files: dict[str, list[str]]


def _partitions(storage: LakeStorage, dataset: str, derived: _Derived) -> _Partitions:
    schema = DATASETS[dataset]
    files = readable_files(storage, dataset).paths
    by_partition: dict[str, list[str]] = defaultdict(list)
    for path in files:
        by_partition[fetch_date_of(path)].append(path)
    old = _old_rows(storage, schema, by_partition)
    new = _new_rows(schema, derived)
    keys = NATURAL_KEYS[dataset]
    unit = _unit_columns(dataset)
    with duckdb.connect() as con:
        con.register("old_rows", old)
        con.register("derived", new)
        con.register("units", _units_table(unit, derived.units))
        con.register("kept", _kept_table(derived.kept_pages))
        covered = " and ".join(f"u.{c} = o.{c}" for c in unit)
        still_failing = (
            "or exists (select 1 from kept as k where k.run_id = o.run_id "
            "and k.account = o.account and k.page = o.page)"
            if dataset == "earn_history"
            else ""
        )
        final = con.sql(
            f"""
            select o.* from old_rows as o
            where not exists (select 1 from units as u where {covered}) {still_failing}
            union all by name
            select * from derived
            """  # noqa: S608  (our own column names)
        ).to_arrow_table()
        con.register("final_rows", final)
        change, changed = _compare(con, schema, keys)
    new_rows = {
        partition: final.filter(pc.equal(final[PARTITION_KEY], pa.scalar(partition))).drop_columns(
            [PARTITION_KEY]
        )
        for partition in changed
    }
    return _Partitions(change, changed, new_rows, dict(by_partition))


def _old_rows(
    storage: LakeStorage, schema: pa.Schema, by_partition: dict[str, list[str]]
) -> pa.Table:
    full = schema.append(pa.field(PARTITION_KEY, pa.string()))
    tables = []
    for partition, paths in by_partition.items():
        for path in paths:
            table = conform(pq.read_table(path, filesystem=storage.fs), schema)
            tables.append(table.append_column(PARTITION_KEY, pa.array([partition] * len(table))))
    return pa.concat_tables(tables) if tables else full.empty_table()


def _new_rows(schema: pa.Schema, derived: _Derived) -> pa.Table:
    full = schema.append(pa.field(PARTITION_KEY, pa.string()))
    if not derived.rows:
        return full.empty_table()
    return pa.Table.from_batches([b.cast(full) for b in derived.rows], schema=full)


def _unit_columns(dataset: str) -> tuple[str, ...]:
    if dataset == "pool_stats":
        return (PARTITION_KEY, "run_id", "host", "scope")
    return (PARTITION_KEY, "run_id", "account")


def _units_table(columns: tuple[str, ...], units: Iterable[tuple[str | None, ...]]) -> pa.Table:
    rows = list(units)
    return pa.table(
        {name: pa.array([u[i] for u in rows], pa.string()) for i, name in enumerate(columns)}
    )


def _kept_table(kept: Iterable[tuple[str, str, int]]) -> pa.Table:
    rows = list(kept)
    return pa.table(
        {
            "run_id": pa.array([r[0] for r in rows], pa.string()),
            "account": pa.array([r[1] for r in rows], pa.string()),
            "page": pa.array([r[2] for r in rows], pa.int32()),
        }
    )


def _compare(
    con: duckdb.DuckDBPyConnection, schema: pa.Schema, keys: tuple[str, ...]
) -> tuple[DatasetChange, list[str]]:
    """Rows added, changed and removed by natural key, and the partitions where any was."""
    on = " and ".join(f"o.{k} is not distinct from f.{k}" for k in (PARTITION_KEY, *keys))
    values = ", ".join(schema.names)
    sql = f"""
        with old_keyed as (select *, row({values}) as all_values from old_rows),
        final_keyed as (select *, row({values}) as all_values from final_rows),
        matched as (
            select coalesce(o.{PARTITION_KEY}, f.{PARTITION_KEY}) as partition,
                   o.run_id is null as added, f.run_id is null as removed,
                   o.run_id is not null and f.run_id is not null
                       and o.all_values is distinct from f.all_values as changed
            from old_keyed as o full outer join final_keyed as f on {on}
        )
        select partition, count(*) filter (where added), count(*) filter (where changed),
               count(*) filter (where removed)
        from matched
        where added or changed or removed
        group by partition
        order by partition
    """  # noqa: S608  (our own column names)
    change = DatasetChange()
    changed: list[str] = []
    for partition, added, altered, removed in con.execute(sql).fetchall():
        change.added += added
        change.changed += altered
        change.removed += removed
        changed.append(partition)
    return change, changed


# --- the commit -----------------------------------------------------------------------------


def _commit(storage: LakeStorage, tables: dict[str, _Partitions], report: ReparseReport) -> None:
    """Every changed partition as one new file, replacing its old files, all in one commit."""
    report.changes = {name: parts.change for name, parts in tables.items()}
    name = f"{REPARSED_PREFIX}{report.run_id}"
    plan = [
        (dataset, partition, dataset_file_path(storage, dataset, partition, name))
        for dataset, parts in tables.items()
        for partition in parts.changed
    ]
    if not plan:
        return
    replaces = [
        path
        for dataset, partition, _ in plan
        for path in tables[dataset].old_files.get(partition, [])
    ]
    with journaled_commit(storage, report.run_id, [target for _, _, target in plan], replaces):
        for dataset, partition, target in plan:
            table = tables[dataset].new_rows[partition]
            table = table.select(DATASETS[dataset].names).cast(DATASETS[dataset])
            write_parquet(storage, target, table)
            report.files.append(WrittenFile(dataset, target, table.num_rows))
    report.replaced = len(replaces)
