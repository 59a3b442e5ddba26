"""The shrink guard: a build that lacks accounts or days of the published warehouse is not
published, unless allowed; the line it stops with names what would be lost."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from poolbooks.warehouse.build import build_warehouse
from poolbooks.warehouse.errors import BuildError, WarehouseWouldShrink
from poolbooks.warehouse.shrink_guard import Lost, describe
from tests.warehouse.handlake import HandLake, days_from

D = date(2026, 1, 1)


def part(lake: HandLake, run_id: str) -> Path:
    return (
        lake.folder / "lake" / "earn_history" / "fetch_date=2026-03-01" / f"part-{run_id}.parquet"
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published_then_shrunk(tmp_path: Path) -> HandLake:
    """Three accounts of 20 days published; then a and b vanish and c keeps its first 6."""
    lake = HandLake(tmp_path)
    runs = [lake.observe(name, days_from(D, [100] * 20)) for name in ("a", "b", "c")]
    assert lake.build().published
    for run_id in runs:
        part(lake, run_id).unlink()
    lake.observe("c", days_from(D, [100] * 6))
    return lake


def test_a_build_that_loses_accounts_and_days_stops_and_keeps_the_published_one(
    tmp_path: Path,
) -> None:
    lake = published_then_shrunk(tmp_path)
    before = digest(lake.config.warehouse)
    with pytest.raises(WarehouseWouldShrink) as info:
        build_warehouse(lake.config)
    assert str(info.value) == (
        "build would lose 2 of 3 accounts (a, b) and 14 days of c that the published warehouse "
        f"has; the lake at {tmp_path}/lake may be moved or mistyped: the published warehouse "
        "was kept (poolbooks build --allow-shrink publishes anyway)"
    )
    assert digest(lake.config.warehouse) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".building", ".failed"))]


def test_allow_shrink_publishes_the_smaller_build(tmp_path: Path) -> None:
    lake = published_then_shrunk(tmp_path)
    assert build_warehouse(lake.config, allow_shrink=True).published
    assert lake.query("select account, count(*) from daily_earnings group by all") == [("c", 6)]


def test_a_build_that_keeps_everything_and_adds_days_is_published(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", days_from(D, [1, 2]))
    assert lake.build().published
    lake.observe("a", days_from(D, [1, 2, 3]))
    lake.observe("b", days_from(D, [4]))
    assert lake.build().published


def test_a_published_file_that_cannot_be_read_stops_the_build(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", days_from(D, [1]))
    lake.config.warehouse.write_bytes(b"not a database")
    with pytest.raises(BuildError, match="cannot compare this build with the published"):
        lake.build()
    assert lake.config.warehouse.read_bytes() == b"not a database"


def test_the_line_names_a_few_accounts_and_sums_the_rest() -> None:
    lost = [Lost(f"gone{i}", "BTC", 30, True) for i in range(7)]
    lost += [Lost(f"short{i}", "BTC", i + 1, False) for i in range(5)]
    lost += [Lost("twice", "BTC", 1, True), Lost("twice", "BCH", 2, False)]
    assert describe(lost, 20, "/lake").startswith(
        "build would lose 8 of 20 accounts (gone0, gone1, gone2, gone3, gone4 and 3 more) and "
        "1 day of short0, 2 days of short1, 3 days of short2, 11 days of 3 more accounts that "
        "the published warehouse has; the lake at /lake may be moved"
    )
