"""The pool's clock: one moment of it, and the wall clock it may follow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

WallClock = Callable[[], datetime]
# In wall-clock mode the pool's clock moves to the wall time when a request finds it this far
# behind: often enough for the 10-minute live figures, seldom enough to keep what it computed.
WALL_CLOCK_STEP = timedelta(minutes=1)
LIVE_SLOT_SECONDS = 600  # live figures change every 10 minutes of the clock


def wall_time() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Moment:
    """The pool's clock at one moment: `now` in UTC, and the zone its days are counted in."""

    now: datetime
    zone: ZoneInfo

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    @property
    def live_slot(self) -> int:
        """The 10-minute slot of the clock that live figures are drawn for."""
        return int(self.now.timestamp()) // LIVE_SLOT_SECONDS
