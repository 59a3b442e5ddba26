"""The SQL project: macros, models, seeds and data tests in `sql/`, and their dependency graph."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from poolbooks.sql_folder import SQL_DIR
from poolbooks.warehouse.errors import ProjectError
from poolbooks.warehouse.model_docs import FIELD_LINE, ModelDoc, header_lines, parse_model_doc

__all__ = ["SQL_DIR", "ProjectError", "SqlProject", "load_project"]
MACROS_FILE = "macros.sql"
# folder -> how its models are materialized; built in this order when dependencies allow.
# "ephemeral": a temporary table that lives for the build only (intermediate results the marts
# read; saving them would cost as much as writing a mart, for nobody to read).
LAYERS = {"seeds": "table", "staging": "view", "intermediate": "ephemeral", "marts": "table"}
# An intermediate model whose header says `-- materialized: view`: a temporary view, for a
# filter of another model that costs nothing to leave a query.
EPHEMERAL_VIEW = "ephemeral_view"
# folder -> the folders its models may read: staging reads only the lake, each layer reads the
# ones below it, intermediate and mart models read each other too; data tests read anything.
MAY_READ = {
    "seeds": frozenset[str](),
    "staging": frozenset[str](),
    "intermediate": frozenset({"seeds", "staging", "intermediate"}),
    "marts": frozenset({"seeds", "staging", "intermediate", "marts"}),
}
SOURCE_CALL = re.compile(r"\{\{\s*source\(\s*'(?P<name>[a-z_]+)'\s*\)\s*\}\}")
# `{{ config('electricity_tariff') }}`: a table of the configuration's settings
# (warehouse/config_inputs.py), read by staging as the lake is
CONFIG_CALL = re.compile(r"\{\{\s*config\(\s*'(?P<name>[a-z_]+)'\s*\)\s*\}\}")
VAR_CALL = re.compile(r"\{\{\s*var\(\s*'(?P<name>[a-z_]+)'\s*\)\s*\}\}")
# `{{ carry_in() }}`: per (account, coin), the sums an incremental build carries in from the
# published warehouse for the days before those it reads; no rows in a full build
CARRY_CALL = re.compile(r"\{\{\s*carry_in\(\s*\)\s*\}\}")
# `{{ all_rows('payouts') }}`: every row of a mart built before, also in an incremental build
# (where the mart's plain name reads only the rows it recomputed)
ALL_ROWS_CALL = re.compile(r"\{\{\s*all_rows\(\s*'(?P<name>[a-z_]+)'\s*\)\s*\}\}")
COLUMN = re.compile(r"^[a-z_][a-z0-9_]*$")
# how `SqlFile.tables` reads a file, part of each file's digest: changed whenever `tables`
# changes, so that no warehouse's record of an older reading is reused
TABLES_RULES = "sqlglot scopes, templating calls as names: 1"


@dataclass(frozen=True)
class SqlFile:
    name: str
    path: Path
    layer: str
    sql: str

    @cached_property
    def header(self) -> dict[str, str]:
        """The `-- field: value` lines among the comment lines the file opens with."""
        fields: dict[str, str] = {}
        for line in header_lines(self.sql):
            if match := FIELD_LINE.match(line):
                fields[match.group("field")] = match.group("value")
        return fields

    @cached_property
    def doc(self) -> ModelDoc:
        """Its description and documented columns (`-- column name TYPE: meaning`)."""
        return parse_model_doc(self.sql)

    @property
    def materialization(self) -> str:
        if self.layer == "intermediate" and self.header.get("materialized") == "view":
            return EPHEMERAL_VIEW
        return LAYERS.get(self.layer, "test")

    @property
    def is_published(self) -> bool:
        """Saved in the warehouse for users to read (seeds, staging views, marts)."""
        return self.materialization in ("table", "view")

    @property
    def is_view(self) -> bool:
        return self.materialization in ("view", EPHEMERAL_VIEW)

    @cached_property
    def key(self) -> tuple[str, ...]:
        """The columns that name one row (`-- key: ...`), tested unique and not NULL."""
        if "key" not in self.header:
            return ()
        columns = tuple(column.strip() for column in self.header["key"].split(","))
        if not all(COLUMN.match(column) for column in columns):
            raise ProjectError(f"{self.path}: a key is column names, not {self.header['key']!r}")
        return columns

    @property
    def incremental(self) -> str | None:
        """Which of its rows an incremental build replaces (`-- incremental: <condition>`): a
        condition on a row `t` and its account's scope `s` (`s.keep_from`, the first day
        recomputed); None for a model an incremental build cannot update."""
        return self.header.get("incremental")

    @cached_property
    def recent_last(self) -> str | None:
        """The date column a full build writes the mart's recent rows last by (`-- recent last:
        date`), so that an update's reads of recent days skip the older row groups; None for a
        mart written in the order its query gives."""
        column = self.header.get("recent last")
        if column is not None and not COLUMN.match(column):
            raise ProjectError(f"{self.path}: `recent last` is a column name, not {column!r}")
        return column

    @cached_property
    def digest(self) -> str:
        """The SHA-256 of its text and of how `tables` reads it: what the tables it reads
        follow from."""
        return hashlib.sha256(f"{TABLES_RULES}\0{self.sql}".encode()).hexdigest()

    @cached_property
    def sources(self) -> frozenset[str]:
        """The lake datasets this file reads through `{{ source('...') }}`."""
        return frozenset(m.group("name") for m in SOURCE_CALL.finditer(self.sql))

    def tables(self) -> frozenset[str]:
        """Every table the query reads, resolved scope by scope with sqlglot, so that an import
        CTE named like the model it imports (`with payouts as (select * from payouts)`) still
        counts as reading that model. (sqlglot is imported here, on a file no published
        warehouse knows: `load_project`'s `known_tables`.)"""
        import sqlglot
        from sqlglot.optimizer.scope import traverse_scope

        parseable = SOURCE_CALL.sub(lambda m: f"__source_{m.group('name')}", self.sql)
        parseable = CONFIG_CALL.sub(lambda m: f"__config_{m.group('name')}", parseable)
        parseable = VAR_CALL.sub("'var'", parseable)
        parseable = CARRY_CALL.sub("__carry_in", parseable)
        parseable = ALL_ROWS_CALL.sub(lambda m: m.group("name"), parseable)
        try:
            tree = sqlglot.parse_one(parseable, read="duckdb")
        except sqlglot.errors.ParseError as exc:
            raise ProjectError(f"{self.path}: cannot parse: {exc}") from None
        return frozenset(
            table.name
            for scope in traverse_scope(tree)
            for table in scope.tables
            if table.name and table.name not in scope.cte_sources
        )


def key_test(model: SqlFile) -> SqlFile:
    """The data test of a model's declared key: the key values held by more than one row, or
    with a NULL in them."""
    key = ", ".join(model.key)
    nulls = " or ".join(f"{column} is null" for column in model.key)
    sql = (
        f"-- {model.name} has one row per ({key}), none of them NULL ({model.path.name}).\n"
        f"select {key}, count(*) as rows\n"
        f"from {model.name}\n"
        f"group by {key}\n"
        f"having count(*) > 1 or {nulls}\n"
    )
    return SqlFile(f"assert_{model.name}_key_unique_and_not_null", model.path, "tests", sql)


@dataclass(frozen=True)
class SqlProject:
    """Models in dependency order, the macros they call and the data tests that check them."""

    models: dict[str, SqlFile]
    tests: dict[str, SqlFile]  # `sql/tests/assert_*.sql` and one per declared key, by name
    depends_on: dict[str, frozenset[str]]  # model or test -> the models it reads
    macros: SqlFile | None = None  # `sql/macros.sql`, created before any model
    # each model's and test's text digest -> every table it reads (models or not): what a
    # build keeps in the warehouse for the next `load_project` to reuse instead of parsing
    tables_read: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @cached_property
    def order(self) -> list[str]:
        """Model names, each after every model it reads."""
        graph = {name: self.depends_on[name] for name in self.models}
        try:
            return list(TopologicalSorter(graph).static_order())
        except CycleError as exc:
            raise ProjectError(f"models depend on each other in a cycle: {exc.args[1]}") from None

    def test_targets(self, test: str) -> list[str]:
        """The models a test reads, most downstream last; a test that reads none (it asks the
        catalog) checks the last model built."""
        return sorted(self.depends_on[test], key=self.order.index) or self.order[-1:]

    def layer_violations(self) -> list[str]:
        """Each read of a model by a model of a layer that may not read it (`MAY_READ`)."""
        return [
            f"{name} ({model.layer}) reads {read} ({self.models[read].layer})"
            for name, model in self.models.items()
            for read in sorted(self.depends_on[name])
            if self.models[read].layer not in MAY_READ[model.layer]
        ]


def load_project(
    sql_dir: Path | None = None, known_tables: Mapping[str, frozenset[str]] | None = None
) -> SqlProject:
    """Every `*.sql` under the layer folders and `tests/`, a key test per declared key, and
    `macros.sql`, with dependencies from the SQL; refused if layers read the wrong way.
    `known_tables` (text digest -> tables read, as a published warehouse keeps them) spares
    parsing the files whose text it knows: a quarter of a second of every update."""
    known = known_tables or {}
    sql_dir = sql_dir or SQL_DIR
    if not sql_dir.is_dir():
        raise ProjectError(f"no SQL project at {sql_dir}")
    models: dict[str, SqlFile] = {}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            if path.stem in models:
                raise ProjectError(f"two models named {path.stem}")
            models[path.stem] = SqlFile(path.stem, path, layer, path.read_text())
    for model in models.values():
        if "materialized" in model.header and model.materialization != EPHEMERAL_VIEW:
            raise ProjectError(f"{model.path}: `-- materialized: view` is for intermediate models")
        if model.recent_last and model.layer != "marts":
            raise ProjectError(f"{model.path}: `-- recent last:` is for marts")
    written = [
        SqlFile(path.stem, path, "tests", path.read_text())
        for path in sorted((sql_dir / "tests").glob("assert_*.sql"))
    ]
    generated = [key_test(model) for model in models.values() if model.key]
    tests: dict[str, SqlFile] = {}
    for test in sorted([*written, *generated], key=lambda t: t.name):
        if test.name in tests:
            raise ProjectError(f"two data tests named {test.name}")
        tests[test.name] = test
    files = {**models, **tests}
    tables_read = {
        sql_file.digest: known[sql_file.digest] if sql_file.digest in known else sql_file.tables()
        for sql_file in files.values()
    }
    depends_on = {
        name: frozenset(tables_read[sql_file.digest] & models.keys() - {name})
        for name, sql_file in files.items()
    }
    macros_path = sql_dir / MACROS_FILE
    macros = (
        SqlFile(macros_path.stem, macros_path, "macros", macros_path.read_text())
        if macros_path.is_file()
        else None
    )
    project = SqlProject(models, tests, depends_on, macros, tables_read)
    project.order  # noqa: B018  (fails here, early, on a cycle)
    if violations := project.layer_violations():
        raise ProjectError("models read across layers the wrong way: " + "; ".join(violations))
    return project
