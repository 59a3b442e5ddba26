"""Compaction manifests: a merge names its target and what it replaces before writing, and
only a target in place makes the replaced files unreadable."""

from __future__ import annotations

from pathlib import Path

from poolbooks.lake.manifest import manifests, replaced_files, write_manifest
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import write_dataset
from tests.lake.test_lake import history_table


def test_a_manifest_names_its_target_and_the_files_it_replaces(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    files = [
        write_dataset(storage, "earn_history", "2026-11-22", f"r{run}", history_table(1)).path
        for run in range(2)
    ]
    target = storage.path("earn_history", "fetch_date=2026-11-22", "part-compacted-c1.parquet")
    path = write_manifest(storage, "c1", target, files)
    assert Path(path).name == "_compaction-c1.json" and Path(path).parent == Path(target).parent
    (manifest,) = manifests(storage)
    assert (manifest.path, manifest.target, manifest.replaces) == (path, target, tuple(files))


def test_replaced_files_count_only_once_the_target_is_in_place(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    old = write_dataset(storage, "earn_history", "2026-11-22", "r0", history_table(1)).path
    target = storage.path("earn_history", "fetch_date=2026-11-22", "part-compacted-c1.parquet")
    write_manifest(storage, "c1", target, [old])
    assert replaced_files(storage, storage.list_files("earn_history")) == set()
    write_dataset(storage, "earn_history", "2026-11-22", "compacted-c1", history_table(1))
    assert replaced_files(storage, storage.list_files("earn_history")) == {old}
    assert replaced_files(storage, [old, target]) == set()  # no manifest among those listed
