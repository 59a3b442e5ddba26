"""The warehouse keeps the lake files its build read, and a build says which of its files the
published build had not read: new runs, and the files compaction wrote in place of others."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from poolbooks.lake.compact import compact_lake
from poolbooks.lake.storage import LakeStorage
from tests.warehouse.handlake import Day, HandLake

D = date(2026, 1, 1)


def test_each_build_says_which_lake_files_are_new_since_the_published_one(
    tmp_path: Path,
) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 4)])
    lake.observe("a", [Day(D, 4), Day(D + timedelta(days=1), 5)])
    first = lake.build().lake_files
    assert first is not None and first.previous is None  # nothing published before
    assert first.read == {"earn_history": 2}
    recorded = lake.query("select dataset, path from _poolbooks_lake_files order by path")
    assert [dataset for dataset, _ in recorded] == ["earn_history", "earn_history"]
    assert all((Path(lake.config.lake) / path).is_file() for _, path in recorded)

    again = lake.build().lake_files
    assert again is not None and (again.previous, again.new_files, again.gone_files) == (2, 0, 0)

    run = lake.observe("a", [Day(D + timedelta(days=2), 6)])
    third = lake.build().lake_files
    assert third is not None and third.new_files == 1 and third.gone_files == 0
    ((new,),) = third.new.values()
    assert run in new and list(third.new) == ["earn_history"]


def test_compaction_shows_as_files_gone_and_new_with_the_same_rows(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    for day in range(3):
        lake.observe("a", [Day(D + timedelta(days=day), 4 + day)])
    lake.build()
    rows = lake.query("select * from daily_earnings order by date")
    compact_lake(LakeStorage(lake.config.lake), "20260105T000000Z-compact0")
    after = lake.build().lake_files
    assert after is not None and after.gone_files == 3 and after.new_files >= 1
    assert lake.query("select * from daily_earnings order by date") == rows
