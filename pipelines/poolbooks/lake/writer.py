"""Writing one run's rows: one checked Parquet file per dataset, one page archive per endpoint."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Any, Final

import pyarrow as pa
import pyarrow.parquet as pq

from poolbooks.lake.errors import LakeWriteError
from poolbooks.lake.journal import roll_back_interrupted
from poolbooks.lake.pages import PageArchive
from poolbooks.lake.schemas import DATASETS, PAGES_DATASET, PARTITION_KEY
from poolbooks.lake.storage import PAGES_SUFFIX, PARQUET_SUFFIX, LakeStorage

ROW_GROUP_SIZE = 256 * 1024
COMPRESSION: Final = "zstd"


@dataclass(frozen=True)
class WrittenFile:
    dataset: str
    path: str
    rows: int


def run_file_name(run_id: str) -> str:
    """A run's file in any partition: unique per run, so runs never overwrite each other."""
    return f"part-{run_id}"


def recover(storage: LakeStorage) -> None:
    """What a writer does first, holding the lake lock: delete killed writers' temporaries and
    roll back commits that were killed midway."""
    storage.remove_temporary_files()
    roll_back_interrupted(storage)


def dataset_file_path(storage: LakeStorage, dataset: str, fetch_date: str, name: str) -> str:
    return storage.path(dataset, f"{PARTITION_KEY}={fetch_date}", f"{name}{PARQUET_SUFFIX}")


def fetch_date_of(path: str) -> str:
    """The fetch date of the hive folder a lake file lies in."""
    for part in path.split("/"):
        if part.startswith(f"{PARTITION_KEY}="):
            return part.partition("=")[2]
    raise ValueError(f"{path} lies in no {PARTITION_KEY}= folder")


def pages_file_path(
    storage: LakeStorage, endpoint: str, fetch_date: str, name: str, archive: str = PAGES_DATASET
) -> str:
    """Where a run's pages of one endpoint go: `raw_pages`, or `failed_pages` for pages that
    did not parse."""
    return storage.path(
        archive, f"endpoint={endpoint}", f"{PARTITION_KEY}={fetch_date}", name + PAGES_SUFFIX
    )


def in_time_order(table: pa.Table) -> pa.Table:
    """The rows by their day (`date`, else `fetched_at`), then account and coin. Each row
    group then spans a few days, so a reader of recent days (an incremental build) skips the
    others by their statistics; a file of ten years in account order would be read whole."""
    names = set(table.column_names)
    time_column = "date" if "date" in names else "fetched_at"
    keys = [name for name in (time_column, "account", "coin") if name in names]
    return table.sort_by([(name, "ascending") for name in keys]) if keys else table


def write_parquet(storage: LakeStorage, path: str, table: pa.Table) -> None:
    """Write `table` to `path` atomically, in time order (`in_time_order`); the footer's row
    count is checked before renaming."""
    table = in_time_order(table)

    def write(stream: Any) -> None:
        pq.write_table(table, stream, row_group_size=ROW_GROUP_SIZE, compression=COMPRESSION)

    def verify(temporary: str) -> None:
        rows = pq.read_metadata(temporary, filesystem=storage.fs).num_rows
        if rows != table.num_rows:
            raise LakeWriteError(f"{path}: footer says {rows} rows, wrote {table.num_rows}")

    storage.write_atomic(path, write, verify)


def write_dataset(
    storage: LakeStorage, dataset: str, fetch_date: str, run_id: str, table: pa.Table
) -> WrittenFile:
    """One run's rows of one dataset as one file in the run's partition."""
    table = table.select(DATASETS[dataset].names).cast(DATASETS[dataset])
    path = dataset_file_path(storage, dataset, fetch_date, run_file_name(run_id))
    write_parquet(storage, path, table)
    return WrittenFile(dataset, path, table.num_rows)


def write_pages(
    storage: LakeStorage,
    endpoint: str,
    fetch_date: str,
    run_id: str,
    archive: PageArchive,
    archive_dataset: str = PAGES_DATASET,
) -> WrittenFile:
    """One run's verbatim pages of one endpoint as one gzip'd JSON-lines file."""
    data = archive.finish()
    name = run_file_name(run_id)
    path = pages_file_path(storage, endpoint, fetch_date, name, archive_dataset)

    def verify(temporary: str) -> None:
        lines = gzip.decompress(storage.read_bytes(temporary)).count(b"\n")
        if lines != archive.count:
            raise LakeWriteError(f"{path}: {lines} lines read back, wrote {archive.count}")

    storage.write_atomic(path, lambda stream: stream.write(data), verify)
    return WrittenFile(f"{archive_dataset}/{endpoint}", path, archive.count)
