"""Reading the lake's archived pages back: every verbatim answer, parsed or set apart."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from poolbooks.lake.pages import page_body
from poolbooks.lake.readable import readable_files
from poolbooks.lake.schemas import PAGE_ARCHIVES
from poolbooks.lake.storage import PAGES_SUFFIX, LakeStorage
from poolbooks.lake.writer import fetch_date_of


@dataclass(frozen=True)
class ArchivedPage:
    """One archived answer and where it lies: `position` keeps the order it was fetched in."""

    fetch_date: str
    position: int
    run_id: str
    fetched_at: datetime
    account: str
    endpoint: str
    page: int | None
    walk: int | None
    host: str | None
    body: bytes
    error: str | None  # why it was set apart when it was fetched; None: it parsed then

    @property
    def set_apart(self) -> bool:
        return self.error is not None


def archived_pages(storage: LakeStorage) -> Iterator[ArchivedPage]:
    """Every committed page of the lake, the pages that parsed and those set apart, in the
    order each partition's files hold them; read a line at a time, never a whole file."""
    position = 0
    for archive in PAGE_ARCHIVES:
        for path in readable_files(storage, archive, PAGES_SUFFIX).paths:
            fetch_date = fetch_date_of(path)
            with storage.fs.open_input_file(path) as handle, gzip.open(handle) as lines:
                for raw in lines:
                    line = json.loads(raw)
                    position += 1
                    yield ArchivedPage(
                        fetch_date=fetch_date,
                        position=position,
                        run_id=line["run_id"],
                        fetched_at=datetime.fromisoformat(line["fetched_at"]),
                        account=line["account"],
                        endpoint=line["endpoint"],
                        page=line.get("page"),
                        walk=line.get("walk"),
                        host=line.get("host"),
                        body=page_body(line),
                        error=line.get("error"),
                    )
