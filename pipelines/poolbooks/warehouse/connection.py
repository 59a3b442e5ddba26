"""How readers open the published warehouse: read-only, with DuckDB alone, so exports, the
report and notebooks load nothing of the build (no sqlglot, no Arrow)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """How every reader (exports, report, notebooks) opens the warehouse."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `poolbooks build` first")
    return duckdb.connect(str(path), read_only=True)


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the warehouse has the table: a bookkeeping table older builds did not write."""
    query = "select count(*) from duckdb_tables() where table_name = ?"
    row = con.execute(query, [name]).fetchone()
    return bool(row and row[0])
