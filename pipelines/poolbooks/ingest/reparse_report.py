"""What a reparse reports: pages read and recovered, pages still failing, rows changed, files."""

from __future__ import annotations

from dataclasses import dataclass, field

from poolbooks.lake.writer import WrittenFile


@dataclass(frozen=True)
class FailingPage:
    """A page today's parser cannot read either."""

    fetch_date: str
    account: str
    endpoint: str
    page: int | None
    error: str


@dataclass
class DatasetChange:
    """Rows of one dataset added, changed and removed, by natural key."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class ReparseReport:
    """One reparse: its id, the archive read, what changed, and the files written and replaced."""

    run_id: str
    pages: int = 0
    recovered: int = 0  # pages set apart when fetched that today's parser reads
    failing: list[FailingPage] = field(default_factory=list)
    changes: dict[str, DatasetChange] = field(default_factory=dict)
    files: list[WrittenFile] = field(default_factory=list)
    replaced: int = 0
    not_configured: set[str] = field(default_factory=set)  # accounts left as they are
