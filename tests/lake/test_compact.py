"""Compaction: one file per partition, every row kept once, interrupted merges finished."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from poolbooks.lake.compact import compact_lake, conform, finish_interrupted
from poolbooks.lake.errors import LakeWriteError
from poolbooks.lake.pages import PageArchive
from poolbooks.lake.readable import readable_files
from poolbooks.lake.schemas import EARN_HISTORY
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import write_dataset, write_pages
from tests.lake.test_lake import NOW, history_table


def test_partition_files_merge_into_one_with_every_row(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    for run in range(3):
        write_dataset(
            storage, "earn_history", "2026-11-22", f"r{run}", history_table(10, f"r{run}")
        )
    write_dataset(storage, "earn_history", "2026-11-23", "r9", history_table(5, "r9"))
    report = compact_lake(storage, "c1")
    files = readable_files(storage, "earn_history").paths
    assert [Path(f).parent.name for f in files] == [
        "fetch_date=2026-11-22",
        "fetch_date=2026-11-23",
    ]
    merged = pq.read_table(files[0])
    assert merged.num_rows == 30
    assert set(merged.column("run_id").to_pylist()) == {"r0", "r1", "r2"}
    assert (report.partitions, report.files_merged, report.rows) == (1, 3, 30)
    assert storage.hidden_files("_compaction-", ".json") == []


def test_a_merged_file_is_in_time_order(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    for run, account in enumerate("ba"):
        write_dataset(
            storage, "earn_history", "2026-11-22", f"r{run}", history_table(5, f"r{run}", account)
        )
    compact_lake(storage, "c1")
    (merged,) = readable_files(storage, "earn_history").paths
    table = pq.read_table(merged)
    keys = list(zip(table["date"].to_pylist(), table["account"].to_pylist(), strict=True))
    assert keys == sorted(keys) and len(keys) == 10


def test_page_archives_merge_into_one_gzip_stream(tmp_path: Path) -> None:
    import gzip

    storage = LakeStorage(str(tmp_path))
    for run in range(2):
        archive = PageArchive()
        archive.add(run_id=f"r{run}", fetched_at=NOW, account="a", endpoint="e", page=1, body=b"{}")
        write_pages(storage, "earn-history", "2026-11-22", f"r{run}", archive)
    compact_lake(storage, "c1")
    (only,) = readable_files(storage, "raw_pages", ".jsonl.gz").paths
    assert gzip.decompress(Path(only).read_bytes()).count(b"\n") == 2


def test_interrupted_merge_with_target_in_place_is_rolled_forward(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    old = write_dataset(storage, "earn_history", "2026-11-22", "r0", history_table(4, "r0"))
    target = write_dataset(
        storage, "earn_history", "2026-11-22", "compacted-c1", history_table(4, "r0")
    )
    folder = Path(old.path).parent
    (folder / "_compaction-c1.json").write_text(
        json.dumps({"target": Path(target.path).name, "replaces": [Path(old.path).name]})
    )
    assert finish_interrupted(storage) == 1
    assert not Path(old.path).exists() and Path(target.path).exists()
    assert storage.hidden_files("_compaction-", ".json") == []


def test_interrupted_merge_without_target_is_forgotten(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    old = write_dataset(storage, "earn_history", "2026-11-22", "r0", history_table(4, "r0"))
    folder = Path(old.path).parent
    (folder / "_compaction-c1.json").write_text(
        json.dumps({"target": "part-compacted-c1.parquet", "replaces": [Path(old.path).name]})
    )
    assert finish_interrupted(storage) == 0
    assert Path(old.path).exists()
    assert storage.hidden_files("_compaction-", ".json") == []


def test_files_of_an_older_schema_gain_null_columns() -> None:
    old = history_table(2).drop_columns(["extra", "diff_rate_pct"])
    conformed = conform(old, EARN_HISTORY)
    assert conformed.schema.names == EARN_HISTORY.names
    assert conformed.column("extra").to_pylist() == [None, None]
    assert conformed.column("earnings_sat").type == pa.int64()


def test_readers_skip_files_that_a_killed_compaction_already_replaced(tmp_path: Path) -> None:
    from tests.warehouse.handlake import Day, HandLake

    lake = HandLake(tmp_path)
    lake.observe("a", [Day(date(2026, 1, 1), 10)])
    lake.observe("a", [Day(date(2026, 1, 2), 20)])
    storage = LakeStorage(str(tmp_path / "lake"))
    originals = readable_files(storage, "earn_history").paths
    merged = pa.concat_tables([pq.read_table(f) for f in originals])
    folder = Path(originals[0]).parent
    target = folder / "part-compacted-k1.parquet"
    pq.write_table(merged, target)
    (folder / "_compaction-k1.json").write_text(
        json.dumps({"target": target.name, "replaces": [Path(f).name for f in originals]})
    )
    report = lake.build()  # killed after the rename, before the deletes: every row twice on disk
    assert report.published
    assert lake.query("select date, earnings_sat from daily_earnings order by date") == [
        (date(2026, 1, 1), 10),
        (date(2026, 1, 2), 20),
    ]
    assert lake.query("select count(*) from stg_earn_history_observations") == [(2,)]


def test_a_merge_whose_row_count_disagrees_keeps_the_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = LakeStorage(str(tmp_path))
    for run in range(2):
        write_dataset(storage, "earn_history", "2026-11-22", f"r{run}", history_table(4, f"r{run}"))
    before = readable_files(storage, "earn_history").paths
    real = pq.read_metadata  # the function compaction calls

    def one_row_more(path: str, **kwargs: Any) -> object:
        metadata = real(path, **kwargs)
        return type("Counted", (), {"num_rows": metadata.num_rows + 1})()

    monkeypatch.setattr(pq, "read_metadata", one_row_more)
    with pytest.raises(LakeWriteError, match="read 8 rows, files hold 10"):
        compact_lake(storage, "c1")
    monkeypatch.undo()
    assert readable_files(storage, "earn_history").paths == before  # nothing deleted, no target
    assert storage.temporary_files() == []
