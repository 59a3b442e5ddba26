"""One run's rows held in memory (Arrow batches, compressed pages) and committed at its end.

Collecting needs nothing from Arrow: an ingest keeps its first responses while pyarrow still
loads in a worker thread. Arrow, the schemas and the writers are imported for the commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from poolbooks.lake.pages import PageArchive
from poolbooks.lake.version import FAILED_PAGES_DATASET, PAGES_DATASET

if TYPE_CHECKING:
    import pyarrow as pa

    from poolbooks.lake.storage import LakeStorage
    from poolbooks.lake.writer import WrittenFile

# Written last: the record that a walk finished is only trusted once its rows are in place.
COMMIT_LAST = ("earn_history_walks",)


class RunBuffer:
    """Everything a run fetched, until `commit` writes one file per dataset and endpoint.

    Nothing reaches the lake before the commit, so a run killed while fetching leaves the
    lake as it was; the commit writes page archives first, rows next, walk records last.
    """

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.batches: dict[str, list[pa.RecordBatch]] = defaultdict(list)
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.pages: dict[tuple[str, str], PageArchive] = {}  # (archive, endpoint) -> pages

    def add_page(
        self,
        account: str,
        endpoint: str,
        page: int | None,
        fetched_at: datetime,
        body: bytes,
        *,
        walk: int | None = None,
        host: str | None = None,
        error: str | None = None,
    ) -> None:
        """Keep a page verbatim; one that did not parse (`error`) is set apart with its error,
        so that a later parser can recover it without a request (`poolbooks reparse`)."""
        archive_name = PAGES_DATASET if error is None else FAILED_PAGES_DATASET
        archive = self.pages.setdefault((archive_name, endpoint), PageArchive())
        archive.add(
            run_id=self.run_id,
            fetched_at=fetched_at,
            account=account,
            endpoint=endpoint,
            page=page,
            body=body,
            walk=walk,
            host=host,
            error=error,
        )

    def add_batch(self, dataset: str, batch: pa.RecordBatch) -> None:
        if batch.num_rows:
            self.batches[dataset].append(batch)

    def add_row(self, dataset: str, row: dict[str, Any]) -> None:
        self.rows[dataset].append(row)

    @property
    def empty(self) -> bool:
        return not any(self.batches.values()) and not any(self.rows.values()) and not self.pages

    def tables(self) -> dict[str, pa.Table]:
        """Each dataset's rows as one table, in commit order."""
        import pyarrow as pa

        from poolbooks.lake.schemas import DATASETS

        tables: dict[str, pa.Table] = {}
        names = [d for d in DATASETS if d not in COMMIT_LAST] + list(COMMIT_LAST)
        for dataset in names:
            schema = DATASETS[dataset]
            parts = list(self.batches.get(dataset, []))
            if self.rows.get(dataset):
                parts.extend(pa.Table.from_pylist(self.rows[dataset], schema=schema).to_batches())
            if parts:
                tables[dataset] = pa.Table.from_batches(parts, schema=schema)
        return tables

    def commit(
        self, storage: LakeStorage, fetch_date: str, on_wait: Callable[[str], None] | None = None
    ) -> list[WrittenFile]:
        """Write the run under the lake lock, all or nothing (a journal names its files until
        the last is in place): pages, then datasets, then walk records."""
        from poolbooks.lake.journal import journaled_commit
        from poolbooks.lake.lock import lake_lock
        from poolbooks.lake.writer import (
            dataset_file_path,
            pages_file_path,
            recover,
            run_file_name,
            write_dataset,
            write_pages,
        )

        written: list[WrittenFile] = []
        if self.empty:
            return written
        tables = self.tables()
        name = run_file_name(self.run_id)
        targets = [pages_file_path(storage, e, fetch_date, name, a) for a, e in self.pages]
        targets += [dataset_file_path(storage, d, fetch_date, name) for d in tables]
        with lake_lock(storage, on_wait=on_wait):
            recover(storage)
            with journaled_commit(storage, self.run_id, targets):
                for (archive_name, endpoint), archive in sorted(self.pages.items()):
                    written.append(
                        write_pages(
                            storage, endpoint, fetch_date, self.run_id, archive, archive_name
                        )
                    )
                for dataset, table in tables.items():
                    written.append(write_dataset(storage, dataset, fetch_date, self.run_id, table))
        return written
