"""Verbatim response bodies of one run and endpoint, compressed as they arrive.

Nothing here needs Arrow: an ingest keeps its first responses while pyarrow still loads.
"""

from __future__ import annotations

import gzip
import io
import json
from datetime import datetime


class PageArchive:
    """Verbatim response bodies, compressed as they arrive: one JSON line per page."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._gzip: gzip.GzipFile | None = gzip.GzipFile(fileobj=self._buffer, mode="wb")
        self.count = 0
        self._data = b""

    def add(
        self,
        *,
        run_id: str,
        fetched_at: datetime,
        account: str,
        endpoint: str,
        page: int | None,
        body: bytes,
    ) -> None:
        if self._gzip is None:
            raise RuntimeError("archive already finished")
        line = {
            "run_id": run_id,
            "fetched_at": fetched_at.isoformat(),
            "account": account,
            "endpoint": endpoint,
            "page": page,
            "body": body.decode("utf-8", "replace"),
        }
        self._gzip.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
        self.count += 1

    def finish(self) -> bytes:
        if self._gzip is not None:
            self._gzip.close()
            self._gzip = None
            self._data = self._buffer.getvalue()
        return self._data
