"""What a reparse changes: each dataset's rows as they are and as they will be, compared by
natural key, and the partitions where anything differs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from poolbooks.ingest.reparse_pages import Derived
from poolbooks.ingest.reparse_report import DatasetChange
from poolbooks.lake.compact import conform
from poolbooks.lake.datasets import NATURAL_KEYS
from poolbooks.lake.readable import readable_files
from poolbooks.lake.schemas import DATASETS, PARTITION_KEY
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import fetch_date_of


@dataclass
class Partitions:
    """A dataset's rows as they are and as they will be, by fetch date; which partitions
    change and their files."""

    change: DatasetChange
    changed: list[str]
    new_rows: dict[str, pa.Table]
    old_files: dict[str, list[str]]


def partitions_after(storage: LakeStorage, dataset: str, derived: Derived) -> Partitions:
    """The dataset's committed rows with those of every unit `derived` covers replaced by its
    rows (a page that still fails keeps its rows), and what that changes, by partition."""
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
    return Partitions(change, changed, new_rows, dict(by_partition))


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


def _new_rows(schema: pa.Schema, derived: Derived) -> pa.Table:
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
