"""Which files readers read: committed ones only, each row once, and a glob that reads exactly
them when nothing is under way."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from poolbooks.lake.journal import journaled_commit
from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import write_dataset
from tests.lake.test_lake import commit_run, history_table


def globbed(pattern: str) -> list[str]:
    """The files DuckDB's own glob finds for a pattern."""
    rows = duckdb.execute("select file from glob(?) order by file", [pattern]).fetchall()
    return [row[0] for row in rows]


def test_a_settled_dataset_is_read_by_a_glob_that_duckdb_expands_to_exactly_its_files(
    tmp_path: Path,
) -> None:
    storage = LakeStorage(str(tmp_path))
    commit_run(storage, "run-1", 3)
    write_dataset(storage, "earn_history", "2026-11-23", "run-2", history_table(2, "run-2"))
    readable = readable_files(storage, "earn_history")
    assert [Path(p).name for p in readable.paths] == ["part-run-1.parquet", "part-run-2.parquet"]
    assert readable.glob == str(tmp_path / "earn_history" / "*" / "*.parquet")
    assert globbed(readable.glob) == readable.paths


def test_page_archives_are_listed_by_their_own_suffix_and_depth(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    commit_run(storage, "run-1", 3)
    readable = readable_files(storage, "raw_pages", ".jsonl.gz")
    assert [Path(p).name for p in readable.paths] == ["part-run-1.jsonl.gz"]
    assert readable.glob is not None and globbed(readable.glob) == readable.paths
    assert readable_files(storage, "raw_pages").paths == []  # no Parquet there


def test_a_dataset_with_no_files_has_neither_paths_nor_glob(tmp_path: Path) -> None:
    assert readable_files(LakeStorage(str(tmp_path)), "hashrate") == readable_files(
        LakeStorage(str(tmp_path / "missing")), "hashrate"
    )
    assert readable_files(LakeStorage(str(tmp_path)), "hashrate").glob is None


def test_temporaries_and_bookkeeping_are_never_read_and_turn_the_glob_off(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    written = write_dataset(storage, "earn_history", "2026-11-22", "run-1", history_table(1))
    folder = Path(written.path).parent
    (folder / ".tmp-part-run-2.parquet.partial").write_bytes(b"partial")
    (folder / "_stray.parquet").write_bytes(b"not ours")
    readable = readable_files(storage, "earn_history")
    assert readable.paths == [written.path]
    assert readable.glob is None  # the glob would match `_stray.parquet` too


def test_a_commit_under_way_hides_its_files_and_lists_the_rest(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    kept = commit_run(storage, "run-1", 3)[1]
    half = storage.path("earn_history", "fetch_date=2026-11-22", "part-run-2.parquet")
    later = storage.path("hashrate", "fetch_date=2026-11-22", "part-run-2.parquet")
    with journaled_commit(storage, "run-2", [half, later]):
        write_dataset(storage, "earn_history", "2026-11-22", "run-2", history_table(2, "run-2"))
        readable = readable_files(storage, "earn_history")
        assert readable.paths == [kept]
        assert readable.glob is None  # a glob would show run-2 half written
        assert readable_files(storage, "raw_pages", ".jsonl.gz").glob is not None  # not in it
    assert readable_files(storage, "earn_history").glob is not None  # committed: settled again


def test_files_a_killed_merge_already_replaced_are_skipped(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    old = write_dataset(storage, "earn_history", "2026-11-22", "r0", history_table(4, "r0"))
    target = write_dataset(storage, "earn_history", "2026-11-22", "compacted-c1", history_table(4))
    manifest = Path(old.path).parent / "_compaction-c1.json"
    manifest.write_text(
        json.dumps({"target": Path(target.path).name, "replaces": [Path(old.path).name]})
    )
    readable = readable_files(storage, "earn_history")
    assert readable.paths == [target.path] and readable.glob is None
    Path(target.path).unlink()  # no target in place: the merge is forgotten, the old file counts
    assert readable_files(storage, "earn_history").paths == [old.path]
