"""A reparse's commit: each changed partition written as one new file, replacing its old files,
all in one journaled commit."""

from __future__ import annotations

from poolbooks.ingest.reparse_diff import Partitions
from poolbooks.ingest.reparse_report import ReparseReport
from poolbooks.lake.journal import journaled_commit
from poolbooks.lake.schemas import DATASETS
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import WrittenFile, dataset_file_path, write_parquet

REPARSED_PREFIX = "part-reparsed-"


def commit_partitions(
    storage: LakeStorage, tables: dict[str, Partitions], report: ReparseReport
) -> None:
    """Every changed partition as one new file, replacing its old files, all in one commit."""
    report.changes = {name: parts.change for name, parts in tables.items()}
    name = f"{REPARSED_PREFIX}{report.run_id}"
    plan = [
        (dataset, partition, dataset_file_path(storage, dataset, partition, name))
        for dataset, parts in tables.items()
        for partition in parts.changed
    ]
    if not plan:
        return
    replaces = [
        path
        for dataset, partition, _ in plan
        for path in tables[dataset].old_files.get(partition, [])
    ]
    with journaled_commit(storage, report.run_id, [target for _, _, target in plan], replaces):
        for dataset, partition, target in plan:
            table = tables[dataset].new_rows[partition]
            table = table.select(DATASETS[dataset].names).cast(DATASETS[dataset])
            write_parquet(storage, target, table)
            report.files.append(WrittenFile(dataset, target, table.num_rows))
    report.replaced = len(replaces)
