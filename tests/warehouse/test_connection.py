"""Readers open the warehouse read-only, with DuckDB alone: nothing of the build is loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from poolbooks.warehouse.connection import connect_read_only

READERS = (
    "poolbooks.report.data",
    "poolbooks.exports.income",
    "poolbooks.warehouse.reconciliation",
)
BUILD_ONLY = ("sqlglot", "pyarrow", "poolbooks.warehouse.build")


def test_a_missing_warehouse_says_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="run `poolbooks build` first"):
        connect_read_only(tmp_path / "warehouse.duckdb")


def test_a_reader_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select 1 as x")
    with connect_read_only(path) as con:
        assert con.execute("select x from t").fetchall() == [(1,)]
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("insert into t values (2)")


@pytest.mark.parametrize("reader", READERS)
def test_importing_a_reader_loads_nothing_of_the_build(reader: str) -> None:
    code = f"import sys, {reader}; print(*sorted(m for m in {BUILD_ONLY!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []
