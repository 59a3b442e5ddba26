"""What an earn-history walk learned: its report, and the hint it leaves the next walk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from poolbooks.pool_api.errors import MalformedData
from poolbooks.pool_api.order import Order


@dataclass(frozen=True)
class PagingHint:
    """What the previous walk learned, so an incremental walk can go straight to its page."""

    order: Order
    total_count: int


@dataclass
class WalkReport:
    """Filled in while walking: for logs, lake metadata and the next run's hint. `repages`
    is also the number of the walk under way (0 for the first), which a page belongs to."""

    mode: str = "full"
    pages_fetched: int = 0
    repages: int = 0
    order: Order = Order.UNKNOWN
    total_count: int = 0
    served_dates: list[date] = field(default_factory=list)
    # pages a full walk could not read and went past, with the walk they belong to: the walk
    # still fetches the rest, then fails with the first of them (their bodies are archived)
    bad_pages: list[tuple[int, MalformedData]] = field(default_factory=list)

    @property
    def hint(self) -> PagingHint:
        return PagingHint(self.order, self.total_count)
