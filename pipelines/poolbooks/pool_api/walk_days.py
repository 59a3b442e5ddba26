"""Which walk's rows of each day a run keeps, after walks started again or left a day's edge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from poolbooks.pool_api.records import EarnHistoryPage


@dataclass(frozen=True)
class WalkedPage:
    """A page and the walk it was fetched in (walks start again when the history moves)."""

    walk: int
    page: EarnHistoryPage


def last_walk_per_day(
    walked: Sequence[WalkedPage], days_span_pages: bool = True
) -> list[EarnHistoryPage]:
    """The pages with each day's rows kept only from the last walk that saw the whole day: a
    walk that started again after drift saw some days twice, and a run records one observation
    per day. Within a walk a day's rows (one per payment) may lie on two pages; all are kept,
    and a day at the edge of a page whose neighbour the walk did not read is left out, since
    more of its rows may lie there (an incremental walk reads such days only when they are
    older than the days it needs). `days_span_pages` False reads pages fetched when a day
    could not (archived before several payments a day were known): each date then has its
    rows on one page, the one fetched last."""
    partial = _partial_days(walked) if days_span_pages else set()
    last = {
        row.date: item.walk
        for item in walked
        for row in item.page.rows
        if (item.walk, row.date) not in partial
    }
    kept: list[EarnHistoryPage] = []
    for item in walked:
        rows = tuple(row for row in item.page.rows if last.get(row.date) == item.walk)
        if rows:
            page = item.page
            kept.append(page if len(rows) == len(page.rows) else replace(page, rows=rows))
    return kept


def _partial_days(walked: Sequence[WalkedPage]) -> set[tuple[int, date]]:
    """(walk, day) of days on the first or last row of a page whose neighbouring page, on that
    side, the walk did not read."""
    read: dict[int, set[int]] = {}
    for item in walked:
        read.setdefault(item.walk, set()).add(item.page.page)
    partial: set[tuple[int, date]] = set()
    for item in walked:
        page, pages = item.page, read[item.walk]
        if not page.rows:
            continue
        if page.page > 1 and page.page - 1 not in pages:
            partial.add((item.walk, page.rows[0].date))
        if page.page < page.page_count and page.page + 1 not in pages:
            partial.add((item.walk, page.rows[-1].date))
    return partial
