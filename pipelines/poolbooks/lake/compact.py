"""`poolbooks compact`: merge each partition's small files into one, losing and doubling nothing."""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq

from poolbooks.lake.errors import LakeWriteError
from poolbooks.lake.manifest import manifests, write_manifest
from poolbooks.lake.readable import readable_files
from poolbooks.lake.schemas import DATASETS, PAGE_ARCHIVES
from poolbooks.lake.storage import PAGES_SUFFIX, PARQUET_SUFFIX, LakeStorage
from poolbooks.lake.writer import write_parquet

COMPACTED_PREFIX = "part-compacted-"


@dataclass
class CompactReport:
    partitions: int = 0
    files_merged: int = 0
    files_written: int = 0
    rows: int = 0
    leftovers_removed: int = 0
    details: list[str] = field(default_factory=list)


def compact_lake(storage: LakeStorage, run_id: str) -> CompactReport:
    """Merge every partition holding more than one file. Call while holding the lake lock.

    Each merge first writes a manifest naming its target and the files it replaces, then the
    target (renamed into place only once its row count equals theirs), then deletes them and
    the manifest. A merge killed midway is finished, or forgotten, by the next compaction;
    until then readers skip the files a target in place replaced (`readable.py`).
    """
    report = CompactReport(leftovers_removed=finish_interrupted(storage))
    for dataset in DATASETS:
        for folder, files in _by_folder(readable_files(storage, dataset).paths).items():
            if len(files) > 1:
                target = f"{folder}/{COMPACTED_PREFIX}{run_id}{PARQUET_SUFFIX}"
                rows = _merge(storage, files, target, run_id, _parquet_merger(dataset))
                _count(report, _relative(storage, folder), files, rows)
    for archive in PAGE_ARCHIVES:
        pages = readable_files(storage, archive, PAGES_SUFFIX).paths
        for folder, files in _by_folder(pages).items():
            if len(files) > 1:
                target = f"{folder}/{COMPACTED_PREFIX}{run_id}{PAGES_SUFFIX}"
                rows = _merge(storage, files, target, run_id, _merge_pages)
                _count(report, _relative(storage, folder), files, rows)
    return report


Merger = Callable[[LakeStorage, list[str], str], int]


def _merge(storage: LakeStorage, files: list[str], target: str, run_id: str, merger: Merger) -> int:
    manifest = write_manifest(storage, run_id, target, files)
    rows = merger(storage, files, target)
    for path in files:
        storage.delete(path)
    storage.delete(manifest)
    return rows


def finish_interrupted(storage: LakeStorage) -> int:
    """Roll killed merges forward (target in place: delete what it replaced) or back."""
    removed = 0
    for manifest in manifests(storage):
        if storage.exists(manifest.target):
            for path in manifest.replaces:
                if storage.exists(path):
                    storage.delete(path)
                    removed += 1
        storage.delete(manifest.path)
    return removed


def _count(report: CompactReport, folder: str, files: list[str], rows: int) -> None:
    report.partitions += 1
    report.files_merged += len(files)
    report.files_written += 1
    report.rows += rows
    report.details.append(f"{folder}: {len(files)} files, {rows} rows")


def _relative(storage: LakeStorage, folder: str) -> str:
    return folder.removeprefix(storage.root + "/")


def _by_folder(paths: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        groups[path.rpartition("/")[0]].append(path)
    return groups


def _parquet_merger(dataset: str) -> Merger:
    schema = DATASETS[dataset]

    def merge(storage: LakeStorage, files: list[str], target: str) -> int:
        tables = [conform(pq.read_table(path, filesystem=storage.fs), schema) for path in files]
        merged = pa.concat_tables(tables).combine_chunks()
        expected = sum(pq.read_metadata(path, filesystem=storage.fs).num_rows for path in files)
        if merged.num_rows != expected:
            raise LakeWriteError(f"{target}: read {merged.num_rows} rows, files hold {expected}")
        write_parquet(storage, target, merged)
        return merged.num_rows

    return merge


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A file written under an older schema version, in the current one (new columns null)."""
    columns = [
        table.column(name).cast(schema.field(name).type)
        if name in table.column_names
        else pa.nulls(table.num_rows, schema.field(name).type)
        for name in schema.names
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _merge_pages(storage: LakeStorage, files: list[str], target: str) -> int:
    parts = [storage.read_bytes(path) for path in files]
    expected = sum(gzip.decompress(part).count(b"\n") for part in parts)
    data = b"".join(parts)  # concatenated gzip members are one valid gzip stream

    def verify(temporary: str) -> None:
        lines = gzip.decompress(storage.read_bytes(temporary)).count(b"\n")
        if lines != expected:
            raise LakeWriteError(f"{target}: {lines} lines read back, expected {expected}")

    storage.write_atomic(target, lambda stream: stream.write(data), verify)
    return int(expected)
