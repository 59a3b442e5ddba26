"""One run's rows held in memory (Arrow batches, compressed pages) and committed at the end."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pyarrow as pa

from pipelines.config import Account
from pipelines.ingest.rows import earn_history_batch
from pipelines.lake.lock import lake_lock
from pipelines.lake.schemas import DATASETS, EARN_HISTORY, SNAPSHOT_DATASETS
from pipelines.lake.storage import LakeStorage
from pipelines.lake.writer import PageArchive, WrittenFile, write_dataset, write_pages
from pipelines.pool_api.records import EarnHistoryPage


class RunBuffer:
    """Everything a run fetched, until `commit` writes one file per dataset and endpoint.

    Nothing reaches the lake before the commit, so a run killed while fetching leaves the
    lake as it was; the commit writes page archives first, rows next, walk records last.
    """

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.history: list[pa.RecordBatch] = []
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.pages: dict[str, PageArchive] = {}

    def add_page(
        self, account: str, endpoint: str, page: int | None, fetched_at: datetime, body: bytes
    ) -> None:
        archive = self.pages.setdefault(endpoint, PageArchive())
        archive.add(
            run_id=self.run_id,
            fetched_at=fetched_at,
            account=account,
            endpoint=endpoint,
            page=page,
            body=body,
        )

    def add_history_page(self, account: Account, page: EarnHistoryPage) -> None:
        self.add_page(account.name, "earn-history", page.page, page.fetched_at, page.raw)
        if page.rows:
            self.history.append(earn_history_batch(self.run_id, account, page))

    def add_row(self, dataset: str, row: dict[str, Any]) -> None:
        self.rows[dataset].append(row)

    def row_count(self, dataset: str) -> int:
        if dataset == "earn_history":
            return sum(batch.num_rows for batch in self.history)
        return len(self.rows.get(dataset, []))

    @property
    def empty(self) -> bool:
        return not self.history and not any(self.rows.values()) and not self.pages

    def commit(
        self, storage: LakeStorage, fetch_date: str, on_wait: Callable[[str], None] | None = None
    ) -> list[WrittenFile]:
        """Write the run under the lake lock: pages, then datasets, then walk records."""
        written: list[WrittenFile] = []
        if self.empty:
            return written
        with lake_lock(storage, on_wait=on_wait):
            storage.remove_temporary_files()
            for endpoint, archive in sorted(self.pages.items()):
                written.append(write_pages(storage, endpoint, fetch_date, self.run_id, archive))
            if self.history:
                table = pa.Table.from_batches(self.history, schema=EARN_HISTORY)
                written.append(
                    write_dataset(storage, "earn_history", fetch_date, self.run_id, table)
                )
            for dataset in (*SNAPSHOT_DATASETS, "earn_history_walks"):
                rows = self.rows.get(dataset)
                if rows:
                    table = pa.Table.from_pylist(rows, schema=DATASETS[dataset])
                    written.append(write_dataset(storage, dataset, fetch_date, self.run_id, table))
        return written
