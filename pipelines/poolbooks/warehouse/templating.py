"""Turning `{{ source('dataset') }}`, `{{ config('input') }}`, `{{ var('name') }}` and
`{{ carry_in() }}` in model SQL into DuckDB SQL."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from poolbooks.lake.readable import ReadableFiles, readable_files
from poolbooks.lake.reader import register_dataset
from poolbooks.lake.schemas import COLUMNS, DUCKDB_TYPE, PARTITION_KEY
from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse.errors import ProjectError
from poolbooks.warehouse.project import (
    ALL_ROWS_CALL,
    CARRY_CALL,
    CONFIG_CALL,
    SOURCE_CALL,
    VAR_CALL,
)
from poolbooks.warehouse.scope import CARRY_TABLE, SourceScope


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


REMOTE_PREFIX = "lake_"


# the readable files of each lake dataset, listed once: what a build reads throughout
PinnedFiles = Mapping[str, ReadableFiles]


def pin_lake_files(storage: LakeStorage) -> dict[str, ReadableFiles]:
    """Every dataset's readable files as of now, for a build to read the same files in every
    model however many times it scans a dataset, while an ingest commits new ones."""
    return {dataset: readable_files(storage, dataset) for dataset in COLUMNS}


def source_relation(storage: LakeStorage, dataset: str, pinned: PinnedFiles | None = None) -> str:
    """A lake dataset as a DuckDB relation: its readable files with an explicit hive type, or
    (no files yet) an empty relation of the same columns. With `pinned`, exactly those files,
    listed; else a glob that stays live as later commits add files, when one is right. On an
    object store the build registers each dataset as an Arrow dataset named `lake_<dataset>`
    (see `register_lake`), whose files are fixed when it is registered."""
    if dataset not in COLUMNS:
        raise ProjectError(f"unknown lake dataset {dataset!r}")
    readable = pinned[dataset] if pinned is not None else readable_files(storage, dataset)
    if readable.paths and not storage.is_local:
        return REMOTE_PREFIX + dataset
    if readable.paths:
        if readable.glob is not None and pinned is None:  # every file, by a glob that stays live
            return parquet_relation(readable.glob)
        # pinned, or a commit or a merge under way: the readable files, listed
        return parquet_relation(readable.paths)
    return empty_relation(dataset)


def parquet_relation(files: str | list[str]) -> str:
    """Parquet files (a glob, or a list of paths) of one lake dataset, read the one way."""
    where = quote_literal(files) if isinstance(files, str) else _list(files)
    return (
        f"read_parquet({where}, hive_partitioning = true, "
        f"hive_types = {{'{PARTITION_KEY}': 'DATE'}}, hive_types_autocast = false, "
        "union_by_name = true)"
    )


def _list(paths: list[str]) -> str:
    return "[" + ", ".join(quote_literal(f) for f in paths) + "]"


def empty_relation(dataset: str) -> str:
    """No rows, with a lake dataset's columns: a dataset with no files yet."""
    columns = [
        f"cast(null as {DUCKDB_TYPE[column.type]}) as {column.name}" for column in COLUMNS[dataset]
    ]
    columns.append(f"cast(null as DATE) as {PARTITION_KEY}")
    return f"(select {', '.join(columns)} limit 0)"


def register_lake(con: duckdb.DuckDBPyConnection, storage: LakeStorage) -> None:
    """On an object store: every dataset as an Arrow dataset over pyarrow's filesystem, which
    DuckDB scans where it lies (its httpfs extension cannot be downloaded offline)."""
    if storage.is_local:
        return
    for dataset in COLUMNS:
        register_dataset(con, REMOTE_PREFIX + dataset, storage, dataset)


def render(
    sql: str,
    storage: LakeStorage,
    variables: Mapping[str, str],
    inputs: Mapping[str, str] | None = None,
    pinned: PinnedFiles | None = None,
    scope: SourceScope | None = None,
    database: str | None = None,
) -> str:
    """The model's SQL with its lake sources (the `pinned` files, if given; in an incremental
    build only the rows its `scope` recomputes from), config inputs (name -> relation,
    warehouse/config_inputs.py), variables and the carried-in sums filled in; `{{
    all_rows('mart') }}` is the mart's table in `database` (the file being built), which a
    temporary table of the mart's name cannot shadow."""

    def all_rows(match: object) -> str:
        name = str(match.group("name"))  # type: ignore[attr-defined]
        if database is None:
            return name
        return f"{quote_identifier(database)}.main.{name}"

    def lake_source(match: object) -> str:
        dataset = match.group("name")  # type: ignore[attr-defined]
        if scope is not None and scope.reads_nothing(dataset):
            return empty_relation(dataset)
        relation = source_relation(storage, dataset, pinned)
        return scope.relation(dataset, relation) if scope is not None else relation

    def variable(match: object) -> str:
        name = match.group("name")  # type: ignore[attr-defined]
        if name not in variables:
            raise ProjectError(f"unknown variable {name!r}")
        return quote_literal(variables[name])

    def config_input(match: object) -> str:
        name = match.group("name")  # type: ignore[attr-defined]
        if inputs is None or name not in inputs:
            raise ProjectError(f"unknown config input {name!r}")
        return inputs[name]

    sql = SOURCE_CALL.sub(lake_source, sql)
    sql = CARRY_CALL.sub(CARRY_TABLE, sql)
    sql = ALL_ROWS_CALL.sub(all_rows, sql)
    sql = CONFIG_CALL.sub(config_input, sql)
    return VAR_CALL.sub(variable, sql)
