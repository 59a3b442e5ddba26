"""What a prices run did, per coin and currency: days stored, requests, gaps, overrides, errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Arrow loads while the requests go out, not before
    from poolbooks.lake.writer import WrittenFile


@dataclass
class SeriesReport:
    """One coin in the configured currency."""

    coin: str
    currency: str
    since: date  # the first day needed
    needed: int = 0  # days the run asked the source for
    stored: int = 0  # candles written (from the source)
    final: int = 0  # of them, days that had closed
    requests: int = 0  # ranges asked for (each one request, less retries)
    gaps: list[date] = field(default_factory=list)  # needed days the source has no candle for
    overrides: int = 0  # rows of the override file written
    error: str | None = None  # the source failed after retries (its first error)

    @property
    def name(self) -> str:
        return f"{self.coin}-{self.currency}"


@dataclass
class PricesReport:
    run_id: str
    source: str
    started_at: datetime
    series: dict[str, SeriesReport] = field(default_factory=dict)  # by coin
    files: list[WrittenFile] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0

    @property
    def errors(self) -> list[str]:
        return [f"{s.name} from {self.source}: {s.error}" for s in self.series.values() if s.error]

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files if f.dataset == "prices")


def day_ranges(days: list[date]) -> str:
    """Days as runs: `2016-01-01..2017-11-30 (700 days), 2020-05-02`."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(f"{r[0]}..{r[-1]} ({len(r)} days)" if len(r) > 1 else str(r[0]) for r in runs)
