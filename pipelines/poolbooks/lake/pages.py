"""Verbatim response bodies of one run and endpoint, compressed as they arrive.

Nothing here needs Arrow: an ingest keeps its first responses while pyarrow still loads.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
from datetime import datetime
from typing import Any


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
        walk: int | None = None,
        host: str | None = None,
        error: str | None = None,
    ) -> None:
        """One page. `walk` numbers an earn-history walk within the run (a walk that started
        again after drift saw some pages twice), `host` is where pool stats came from, `error`
        why a page was set apart."""
        if self._gzip is None:
            raise RuntimeError("archive already finished")
        line: dict[str, Any] = {
            "run_id": run_id,
            "fetched_at": fetched_at.isoformat(),
            "account": account,
            "endpoint": endpoint,
            "page": page,
        }
        try:
            line["body"] = body.decode("utf-8")
        except UnicodeDecodeError:  # kept byte for byte all the same
            line["body_base64"] = base64.b64encode(body).decode("ascii")
        extra = {"walk": walk, "host": host, "error": error}
        line.update({key: value for key, value in extra.items() if value is not None})
        self._gzip.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
        self.count += 1

    def finish(self) -> bytes:
        if self._gzip is not None:
            self._gzip.close()
            self._gzip = None
            self._data = self._buffer.getvalue()
        return self._data


def page_body(line: dict[str, Any]) -> bytes:
    """The verbatim body of an archived page line."""
    if "body_base64" in line:
        return base64.b64decode(line["body_base64"])
    return str(line["body"]).encode("utf-8")
