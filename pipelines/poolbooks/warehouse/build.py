"""`poolbooks build`: every model into a fresh DuckDB file, data tests, then an atomic swap."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from poolbooks.lake.marker import open_lake
from poolbooks.lake.storage import LakeStorage
from poolbooks.locks import file_lock
from poolbooks.warehouse.config_inputs import config_relations
from poolbooks.warehouse.errors import BuildError
from poolbooks.warehouse.incremental import (
    Recomputed,
    fingerprint,
    full_build_reason,
    plan_scope,
    read_published,
    record_known_addresses,
    record_last_days,
    record_new_addresses,
)
from poolbooks.warehouse.lake_files import (
    LakeFileChanges,
    compare_with_published,
    lake_file_rows,
    record_lake_files,
)
from poolbooks.warehouse.model_docs import ModelDoc
from poolbooks.warehouse.project import SqlProject, load_project
from poolbooks.warehouse.scope import (
    SCOPE_TABLE,
    SourceScope,
    empty_carry_sql,
    recomputed_failures_sql,
    tested_rows_sql,
)
from poolbooks.warehouse.settings import WarehouseConfig
from poolbooks.warehouse.shrink_guard import refuse_to_drop_days, refuse_to_shrink
from poolbooks.warehouse.tables_read import record_tables_read
from poolbooks.warehouse.templating import (
    PinnedFiles,
    pin_lake_files,
    quote_identifier,
    quote_literal,
    register_lake,
    render,
)
from poolbooks.warehouse.zone_span import fixed_offset_span

# Written in a storage format DuckDB 1.5 reads too, so the DuckDB CLI from PyPI (duckdb-cli,
# 1.5 today; `.venv/bin/duckdb`) and readers pinned to an older DuckDB open the warehouse.
WAREHOUSE_FILE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "storage_compatibility_version": "v1.5.0"
}


@dataclass(frozen=True)
class TestResult:
    name: str
    failures: int
    targets: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.failures == 0


@dataclass
class BuildReport:
    warehouse: Path
    rows: dict[str, int] = field(default_factory=dict)
    model_seconds: dict[str, float] = field(default_factory=dict)
    tests: list[TestResult] = field(default_factory=list)
    seconds: float = 0.0
    published: bool = False
    failed_build: Path | None = None
    lake_files: LakeFileChanges | None = None  # what it read, against the published build
    full_reason: str | None = None  # why it rebuilt whole; None: it updated the published one
    recomputed: Recomputed | None = None  # an update's accounts and first day
    recomputed_rows: dict[str, int] = field(default_factory=dict)  # an update's rows, by mart

    @property
    def incremental(self) -> bool:
        return self.full_reason is None

    @property
    def failed_tests(self) -> list[TestResult]:
        return [t for t in self.tests if not t.passed]


def build_warehouse(
    config: WarehouseConfig,
    project: SqlProject | None = None,
    on_wait: Callable[[str], None] | None = None,
    *,
    allow_shrink: bool = False,
    full: bool = False,
) -> BuildReport:
    """Build the models into a new file, run the data tests, and put it in place if they pass.

    The new warehouse is written beside the old one and renamed over it, so readers (who open
    it read-only) see the old build or the new one, never half of one; a killed build leaves
    the old warehouse untouched. When the lake only gained files since the published build
    (and the SQL and settings are the same), the new file is a copy of the published one in
    which only what the new files change is recomputed (docs/warehouse.md, "Incremental
    builds"); else, or with `full`, every model is built from the whole lake. When a data test
    fails, the old warehouse stays and the new build is kept as `<warehouse>.failed` to
    inspect. A location that is not a poolbooks lake is a ConfigError before anything is
    touched; a build that lacks accounts or days of the published warehouse raises
    WarehouseWouldShrink and is deleted, unless `allow_shrink`.
    """
    storage = open_lake(config.lake, config.source)
    target = config.warehouse
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with file_lock(target.with_name(target.name + ".lock"), on_wait):
        building = target.with_name(f".{target.name}.building")
        _remove(building)
        report = BuildReport(warehouse=target)
        try:
            published = read_published(target)
            # the published build's record spares parsing the SQL files it ran
            project = project or load_project(
                known_tables=published.tables_read if published else None
            )
            current = fingerprint(project, _variables(config), config_relations(config.costs))
            pinned = pin_lake_files(storage)
            files = lake_file_rows(storage, pinned)
            report.lake_files = compare_with_published(
                published.lake_files if published else None, files
            )
            report.full_reason = full_build_reason(
                requested=full,
                storage=storage,
                project=project,
                published=published,
                changes=report.lake_files,
                current=current,
            )
            if report.incremental:
                # the published file, copied (a kernel copy: no table is re-encoded), is
                # updated where the lake changed; readers keep the published one meanwhile.
                # The update plans on the published file while the copy is made.
                copying = _FileCopy(target, building)
                try:
                    with _connect_published(target, building, config) as con:
                        planned = plan_scope(
                            con,
                            storage,
                            pinned,
                            report.lake_files,
                            uniform=bool(config.costs.fixed),
                        )
                        copying.wait()
                        if isinstance(planned, str):
                            report.full_reason = planned
                        else:
                            scope, report.recomputed = planned
                            _switch_to_copy(con, building)
                            record_new_addresses(con)
                            kept = published.full_build_bytes if published else None
                            build = _Build(project, config, storage, pinned, current, allow_shrink)
                            build.run(con, report, scope, kept)
                finally:
                    copying.wait(flushed=True)
                if not report.incremental:
                    _remove(building)
            if not report.incremental:
                with _connect(building, config) as con:
                    con.execute(empty_carry_sql())
                    build = _Build(project, config, storage, pinned, current, allow_shrink)
                    build.run(con, report, None, None)
                    # the size a later update's growth is judged by
                    size = building.stat().st_size
                    con.execute("update _poolbooks_build set full_build_bytes = ?", [size])
                    con.execute("checkpoint")
        except BaseException:
            _remove(building)
            raise
        report.seconds = time.perf_counter() - started
        if report.failed_tests:
            report.failed_build = target.with_name(target.name + ".failed")
            os.replace(building, report.failed_build)
        else:
            os.replace(building, target)
            report.published = True
        _remove(building)
    return report


class _FileCopy:
    """The published warehouse copied to the file an update writes, in a thread, while the
    update plans on the published file (0.25-0.3 s of a 420 MB copy that planning used to wait
    for). The copy's pages are then written to disk while the update computes, so that its
    checkpoint's fsync finds them written (another 0.1-0.25 s it would wait for at the end)."""

    def __init__(self, source: Path, destination: Path) -> None:
        self.copied = threading.Event()
        self.error: OSError | None = None
        self.thread = threading.Thread(
            target=self._copy, args=(source, destination), name="copy-warehouse", daemon=True
        )
        self.thread.start()

    def _copy(self, source: Path, destination: Path) -> None:
        try:
            shutil.copyfile(source, destination)
        except OSError as exc:
            self.error = exc
            return
        finally:
            self.copied.set()
        with contextlib.suppress(OSError):  # the checkpoint's own fsync still follows
            descriptor = os.open(destination, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)

    def wait(self, *, flushed: bool = False) -> None:
        """Until the copy is whole (raising its error), or with `flushed` on disk too."""
        if flushed:
            self.thread.join()
        else:
            self.copied.wait()
        if self.error is not None:
            raise BuildError(f"could not copy the published warehouse: {self.error}")


def _connect(path: Path, config: WarehouseConfig) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), config=WAREHOUSE_FILE_CONFIG)
    _set_limits(con, config)
    return con


def _connect_published(
    published: Path, building: Path, config: WarehouseConfig
) -> duckdb.DuckDBPyConnection:
    """A connection on the published warehouse, read-only and its default catalog, for an
    update's planning; its temporary tables stay when `_switch_to_copy` puts the copy in its
    place. It spills where a connection on the copy would (DuckDB's `<file>.tmp`)."""
    temp = {"temp_directory": str(building) + ".tmp"}
    con = duckdb.connect(":memory:", config={**WAREHOUSE_FILE_CONFIG, **temp})
    _set_limits(con, config)
    con.execute(f"attach {quote_literal(str(published))} (read_only)")
    con.execute(f"use {quote_identifier(_attached(con))}")
    return con


def _switch_to_copy(con: duckdb.DuckDBPyConnection, building: Path) -> None:
    """The copy of the published warehouse in its place, under the same catalog name (DuckDB
    names both files' catalogs alike: `books.duckdb` and `.books.duckdb.building` are
    `books`), so the SQL an update runs reads and writes the copy."""
    name = quote_identifier(_database(con))
    con.execute("use memory")
    con.execute(f"detach {name}")
    con.execute(f"attach {quote_literal(str(building))} as {name}")
    con.execute(f"use {name}")


def _attached(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute(
        "select database_name from duckdb_databases() where not internal "
        "and database_name not in ('memory', 'temp')"
    ).fetchone()
    if row is None:
        raise BuildError("the published warehouse could not be attached")
    return str(row[0])


def _set_limits(con: duckdb.DuckDBPyConnection, config: WarehouseConfig) -> None:
    con.execute(f"set memory_limit = {quote_literal(config.duckdb.memory_limit)}")
    con.execute(f"set threads = {int(config.duckdb.threads)}")
    con.execute("set preserve_insertion_order = false")  # faster, less memory
    # one checkpoint, the build's own at its end: not another each time the log passes 16 MB
    # (an update's deletes and inserts would write the tables they touch twice)
    con.execute("set checkpoint_threshold = '16GB'")


@dataclass(frozen=True)
class _Build:
    """One build's inputs, for `run` on the file being built (new, or the published copy)."""

    project: SqlProject
    config: WarehouseConfig
    storage: LakeStorage
    pinned: PinnedFiles
    fingerprint: str
    allow_shrink: bool

    def run(
        self,
        con: duckdb.DuckDBPyConnection,
        report: BuildReport,
        scope: SourceScope | None,
        full_build_bytes: int | None,
    ) -> None:
        """The models (recomputing only the scope's accounts and days, with one), the data
        tests, the shrink guard, the build's record, and a checkpoint: all but the rename."""
        project, config, storage, pinned = self.project, self.config, self.storage, self.pinned
        report.model_seconds = _build_models(
            con, project, config, storage, pinned, scope, report.recomputed_rows
        )
        since = report.recomputed.first_day if report.recomputed else None
        record_last_days(con, project, _database(con), full=scope is None, since=since)
        report.rows = _row_counts(con, project)
        report.tests = _run_tests(
            con, project, config, storage, pinned, incremental=scope is not None
        )
        if not report.failed_tests and not self.allow_shrink and scope is None:
            # an update replaces only rows it recomputed from the same lake, and refuses to
            # drop a day itself (`_update_mart`)
            refuse_to_shrink(con, report.warehouse, storage.shown)
        if scope is None:  # an update adds the new ones before its models
            record_known_addresses(con, project)
        _record(con, report, config, self.fingerprint, full_build_bytes)
        record_tables_read(con, project)
        record_lake_files(con, lake_file_rows(storage, pinned))
        con.execute("checkpoint")


# a full build writes the last days of each mart that declares `-- recent last:` after the
# rest: the days an update reads (those it replaces, and the RECENT_DAYS before them), with
# room for a lake whose newest day is some weeks old
RECENT_TAIL_DAYS = 90

# how each materialization is created
_SQL_KIND = {
    "table": "table",
    "view": "view",
    "ephemeral": "temp table",
    "ephemeral_view": "temp view",
}


def _variables(config: WarehouseConfig) -> dict[str, str]:
    """What `{{ var('...') }}` reads: the pool's zone (and the span where it keeps one offset)
    and the currency values are in."""
    return {
        "timezone": config.timezone.key,
        **fixed_offset_span(config.timezone).variables(),
        "price_currency": config.price_currency,
    }


def _build_models(
    con: duckdb.DuckDBPyConnection,
    project: SqlProject,
    config: WarehouseConfig,
    storage: LakeStorage,
    pinned: PinnedFiles,
    scope: SourceScope | None = None,
    recomputed_rows: dict[str, int] | None = None,
) -> dict[str, float]:
    """Every model, in a transaction that ends where intermediate models are dropped (DuckDB
    gives a dropped table's memory back when its transaction ends); returns the seconds each
    took. The file is new and renamed into place only when all is done, so a build cut off
    between two transactions publishes nothing. With a `scope` (an incremental build, on a
    copy of the published file) the lake is read for the accounts and days it recomputes,
    and each mart's recomputed rows replace those its `-- incremental:` condition names."""
    register_lake(con, storage)
    database = _database(con)
    variables = _variables(config)
    inputs = config_relations(config.costs)
    readers = {
        name: sum(name in deps for deps in project.depends_on.values()) for name in project.models
    }
    done_with = _last_readers(project)
    seconds: dict[str, float] = {}
    con.execute("begin transaction")
    if project.macros is not None:  # persistent: the published views call them
        try:
            con.execute(render(project.macros.sql, storage, variables, inputs))
        except duckdb.Error as exc:
            raise BuildError(f"macros ({project.macros.path.name}): {exc}") from None
    for name in project.order:
        model = project.models[name]
        sql = render(model.sql, storage, variables, inputs, scope=scope, database=database)
        sql = sql.strip().rstrip(";")
        kind = _SQL_KIND[model.materialization]
        if kind == "view" and not storage.is_local:
            # a view cannot outlive the connection that registered an object store's datasets:
            # on one, staging is saved as tables
            kind = "table"
        started = time.perf_counter()
        try:
            if scope is None and model.recent_last:
                _create_recent_last(con, name, sql, model.recent_last)
            elif scope is None or model.layer not in ("seeds", "staging", "marts"):
                con.execute(f"create or replace {kind} {name} as\n{sql}")
            elif model.layer == "marts":
                table = f"{quote_identifier(database)}.main.{name}"
                rows = _update_mart(con, table, sql, model.incremental)
                if recomputed_rows is not None:
                    recomputed_rows[name] = rows
            # else: seeds and saved views are the published file's, from the same SQL
            if model.is_published and scope is None:
                for statement in _comments(name, kind, model.doc):
                    con.execute(statement)
            if kind == "view" and model.sources:
                # the saved view reads the lake's files as they come; this build reads the
                # files pinned at its start, in every model and every scan, even while an
                # ingest commits new ones: a temporary twin shadows the view for this
                # connection only. Read by several models, the lake is scanned once, into a
                # table. A view over models is left a view: it reads what is built.
                twin = "table" if readers[name] > 1 else "view"
                pinned_sql = render(model.sql, storage, variables, inputs, pinned, scope)
                con.execute(f"create temp {twin} {name} as\n{pinned_sql.strip().rstrip(';')}")
            if done_with.get(name):
                for finished in done_with[name]:
                    con.execute(f"drop table {finished}")
                # a dropped table's memory comes back when its transaction ends
                con.execute("commit")
                con.execute("begin transaction")
        except duckdb.Error as exc:
            raise BuildError(f"model {name} ({model.path.name}): {exc}") from None
        seconds[name] = time.perf_counter() - started
    con.execute("commit")
    return seconds


def _create_recent_last(con: duckdb.DuckDBPyConnection, name: str, sql: str, column: str) -> None:
    """A full build's mart with the rows of its last RECENT_TAIL_DAYS (by `column`) written
    after all the others. Its other rows come in the order of the query that makes them (by
    account), so each row group of theirs ends before the tail's first day: an update, which
    reads and replaces recent days, skips them by their zone maps (docs/warehouse.md). The
    query runs twice, each time for its own days: for a mart whose date filter reaches its
    inputs' scans, the second run costs a scan of that column."""
    cutoff = datetime.now(UTC).date() - timedelta(days=RECENT_TAIL_DAYS)
    bound = f"{column} < date '{cutoff.isoformat()}'"
    con.execute(f"create or replace table {name} as\nselect * from (\n{sql}\n) where {bound}")
    con.execute(f"insert into {name}\nselect * from (\n{sql}\n) where not coalesce({bound}, false)")


def _update_mart(
    con: duckdb.DuckDBPyConnection, table: str, sql: str, condition: str | None
) -> int:
    """An incremental build's mart: its recomputed rows that `condition` names (a temporary
    table of the mart's name, which the models after it read) replace the published rows it
    names in `table` (the mart, qualified with its database: `main.` alone would find the
    temporary one); returns how many. The published days of `daily_earnings` must all come
    back."""
    name = table.rsplit(".", 1)[-1]
    scoped = f"t.account = s.account and t.coin = s.coin and ({condition or 'true'})"
    con.execute(
        f"create temp table {name} as select t.* from (\n{sql}\n) as t "
        f"semi join {SCOPE_TABLE} as s on {scoped}"
    )
    if name == "daily_earnings":
        refuse_to_drop_days(con, table)
    con.execute(f"delete from {table} as t using {SCOPE_TABLE} as s where {scoped}")
    con.execute(f"insert into {table} select * from temp.{name}")
    row = con.execute(f"select count(*) from temp.{name}").fetchone()
    return int(row[0]) if row else 0


def _database(con: duckdb.DuckDBPyConnection) -> str:
    """The file being built's catalog name: its tables, not the temporary ones."""
    row = con.execute("select current_database()").fetchone()
    return str(row[0]) if row else "main"


def _comments(name: str, kind: str, doc: ModelDoc) -> list[str]:
    """`COMMENT ON` statements that keep a model's description and column meanings in the
    warehouse, where `duckdb_tables()`, `duckdb_columns()` and any SQL client show them."""
    statements = []
    if doc.description:
        statements.append(f"comment on {kind} {name} is {quote_literal(doc.description)}")
    statements += [
        f"comment on column {name}.{column.name} is {quote_literal(column.description)}"
        for column in doc.columns
    ]
    return statements


def _last_readers(project: SqlProject) -> dict[str, list[str]]:
    """For each model, the intermediate (temporary) models no later model or data test needs
    once it is built: each lives only until its last reader is built. A temporary view is
    read when its readers are built, so a table under one lives until the view's last reader;
    one read by a data test, directly or through views, lives to the end."""
    position = {name: index for index, name in enumerate(project.order)}
    end = len(project.order)
    readers: dict[str, list[str]] = {}
    for reader, deps in project.depends_on.items():
        for name in deps:
            readers.setdefault(name, []).append(reader)

    def needed_until(name: str) -> int:
        """The position of the last build step that reads `name`, through views."""
        last = -1
        for reader in readers.get(name, ()):
            if reader in project.tests:
                return end
            step = needed_until(reader) if project.models[reader].is_view else position[reader]
            last = max(last, step)
        return last

    done_with: dict[str, list[str]] = {}
    for name, model in project.models.items():
        if model.materialization == "ephemeral":
            last = needed_until(name)
            if 0 <= last < end:
                done_with.setdefault(project.order[last], []).append(name)
    return done_with


def _row_counts(con: duckdb.DuckDBPyConnection, project: SqlProject) -> dict[str, int]:
    database = quote_identifier(_database(con))
    counts: dict[str, int] = {}
    for name in project.order:
        if project.models[name].materialization == "table":
            row = con.execute(f"select count(*) from {database}.main.{name}").fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts


def _run_tests(
    con: duckdb.DuckDBPyConnection,
    project: SqlProject,
    config: WarehouseConfig,
    storage: LakeStorage,
    pinned: PinnedFiles,
    *,
    incremental: bool = False,
) -> list[TestResult]:
    """The data tests' results. An incremental build runs them on what it recomputed, in
    context: each mart is read (a temporary view of its name) for the accounts in scope from
    `tests_from`, an intermediate model as the update built it (those accounts from
    `context_from`), and a failing row counts when it is one of theirs from keep_from on
    (`scope.py`)."""
    results = []
    inputs = config_relations(config.costs)
    if incremental:
        database = quote_identifier(_database(con))
        for name, model in project.models.items():
            if model.layer == "marts":
                con.execute(f"drop table if exists temp.{name}")
                rows = tested_rows_sql(f"{database}.main.{name}", model.incremental)
                con.execute(f"create temp view {name} as {rows}")
    for name, test in project.tests.items():
        sql = render(test.sql, storage, _variables(config), inputs, pinned).strip().rstrip(";")
        try:
            if incremental:
                columns = [c[0] for c in con.execute(f"select * from ({sql}) limit 0").description]
                sql = recomputed_failures_sql(sql, columns)
            row = con.execute(f"select count(*) from (\n{sql}\n)").fetchone()
        except duckdb.Error as exc:
            raise BuildError(f"data test {name} ({test.path.name}): {exc}") from None
        results.append(
            TestResult(name, int(row[0]) if row else 0, tuple(project.test_targets(name)))
        )
    return results


def _record(
    con: duckdb.DuckDBPyConnection,
    report: BuildReport,
    config: WarehouseConfig,
    current: str,
    full_build_bytes: int | None,
) -> None:
    """What this build was: for the report, notebooks, anyone asking later, and the next
    build (which updates this one only if its fingerprint is the same)."""
    con.execute(
        "create or replace table _poolbooks_build as select ? as built_at, ? as tests_failed, "
        "current_setting('memory_limit') as memory_limit, current_setting('threads') as threads, "
        "? as timezone, ? as lake, ? as mode, ? as full_reason, ? as fingerprint, "
        "cast(? as bigint) as full_build_bytes",
        [
            datetime.now(UTC),
            len(report.failed_tests),
            config.timezone.key,
            config.lake,
            "full" if report.full_reason else "incremental",
            report.full_reason,
            current,
            full_build_bytes,
        ],
    )
    con.execute("create or replace table _poolbooks_data_tests (name varchar, failures bigint)")
    if report.tests:  # a project may have none
        con.executemany(
            "insert into _poolbooks_data_tests values (?, ?)",
            [(t.name, t.failures) for t in report.tests],
        )


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            candidate.unlink()
