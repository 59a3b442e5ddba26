"""A warehouse's tables as sorted rows, for comparing two builds table by table."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from poolbooks.warehouse.project import load_project


def _steady(value: Any) -> Any:
    """Floats to 12 significant digits: parallel sums may add in another order."""
    return float(f"{value:.12g}") if isinstance(value, float) else value


def table_rows(warehouse: Path, table: str, exclude: Collection[str] = ()) -> list[tuple[Any, ...]]:
    """Every row of `table` without the `exclude` columns, sorted on all columns."""
    columns = f"* exclude ({', '.join(exclude)})" if exclude else "*"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(f"select {columns} from {table} order by all").fetchall()
    return [tuple(_steady(v) for v in row) for row in rows]


def contents(
    warehouse: Path, tables: Iterable[str], exclude: Mapping[str, Collection[str]] | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    exclude = exclude or {}
    return {name: table_rows(warehouse, name, exclude.get(name, ())) for name in tables}


def mart_names() -> tuple[str, ...]:
    """The contract's tables: every model in `sql/marts/`, in build order."""
    project = load_project()
    return tuple(name for name in project.order if project.models[name].layer == "marts")
