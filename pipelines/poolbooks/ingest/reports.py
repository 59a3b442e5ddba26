"""What an ingest run reports: each account's outcome, the files written, the requests made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Arrow loads in a worker thread while the first requests go out
    from poolbooks.lake.writer import WrittenFile


@dataclass
class AccountOutcome:
    """What one account's part of a run fetched, or the first error that stopped it."""

    account: str
    history_mode: str | None = None
    history_pages: int = 0
    history_rows: int = 0
    snapshots: int = 0
    error: str | None = None
    retryable: bool = False  # the first error may pass if tried later (HTTP, timeouts, busy)
    full_walk_reason: str | None = None  # why earn-history was walked in full (full_walks)


@dataclass
class IngestReport:
    """One run: its id and times, every account's outcome, the files committed, the requests."""

    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    outcomes: dict[str, AccountOutcome] = field(default_factory=dict)
    files: list[WrittenFile] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0

    @property
    def failed(self) -> list[AccountOutcome]:
        return [o for o in self.outcomes.values() if o.error is not None]

    def rows(self, dataset: str) -> int:
        return sum(f.rows for f in self.files if f.dataset == dataset)

    @property
    def pages(self) -> int:
        return sum(o.history_pages for o in self.outcomes.values())
