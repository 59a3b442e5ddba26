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
