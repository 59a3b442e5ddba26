"""The longest stretch of time over which the pool's zone keeps one UTC offset, so the SQL
macros can find an instant's pool-zone day with integer arithmetic there (ICU's per-row zone
conversion is about a second per 13 million snapshots) and ask ICU only outside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# the stretch looked at: every instant the pool's data carries lies in it (Bitcoin's first
# block is of 2009-01-03; an instant past 2050 would take ICU's path, only slower). After the
# first day of 1970, so that an instant's microseconds plus any offset (-12 to +14 hours) are
# positive and DuckDB's integer division (which truncates) floors them. Every build samples it
# daily: 15,000 samples take 0.03 s, where 1970-2100's 47,000 took 0.1 s.
SPAN_START = datetime(2009, 1, 1, tzinfo=UTC)
SPAN_END = datetime(2050, 1, 1, tzinfo=UTC)
# how often the offset is sampled: no zone has changed its offset and back within a day
SAMPLE_EVERY = timedelta(days=1)


@dataclass(frozen=True)
class FixedOffsetSpan:
    """From `start` up to `end` (exclusive) the zone is `offset` ahead of UTC; an empty span
    (start == end) when the zone never holds one offset for two samples."""

    start: datetime
    end: datetime
    offset: timedelta

    @property
    def offset_us(self) -> int:
        return (self.offset.days * 86_400 + self.offset.seconds) * 1_000_000

    def variables(self) -> dict[str, str]:
        """What the macros read through `{{ var(...) }}`."""
        return {
            "zone_fixed_from": self.start.isoformat(sep=" "),
            "zone_fixed_until": self.end.isoformat(sep=" "),
            "zone_fixed_offset_us": str(self.offset_us),
        }


@lru_cache(maxsize=16)
def fixed_offset_span(zone: ZoneInfo) -> FixedOffsetSpan:
    """The longest run of daily samples with one offset. Between two equal neighbouring samples
    the zone kept that offset, so the span runs from the run's first sample to its last."""
    best = FixedOffsetSpan(SPAN_START, SPAN_START, timedelta(0))
    run_start = SPAN_START
    run_offset = _offset(zone, SPAN_START)
    sample = SPAN_START
    while sample < SPAN_END:
        following = sample + SAMPLE_EVERY
        offset = _offset(zone, following) if following < SPAN_END else None
        if offset != run_offset:
            if sample - run_start > best.end - best.start:
                best = FixedOffsetSpan(run_start, sample, run_offset)
            run_start, run_offset = following, offset if offset is not None else run_offset
        sample = following
    return best


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always has one
    return offset
