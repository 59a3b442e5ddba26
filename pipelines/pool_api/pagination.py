"""Paging earn-history without trusting row order: full walks, incremental walks, drift, loops."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import Protocol

from pipelines.pool_api.accounts import Account
from pipelines.pool_api.errors import MalformedData, PaginationError
from pipelines.pool_api.records import EarnHistoryPage, EarnHistoryRow

DEFAULT_PAGE_SIZE = 50
DEFAULT_MAX_PAGES = 1000
DEFAULT_MAX_REPAGES = 3
ENDPOINT = "earn-history"


class Order(StrEnum):
    """The order a pool serves earn-history rows in; it is not documented, so it is detected."""

    NEWEST_FIRST = "newest_first"
    OLDEST_FIRST = "oldest_first"
    UNORDERED = "unordered"
    UNKNOWN = "unknown"


def detect_order(dates: Sequence[date]) -> Order:
    """Order of dates as served: falling, rising, neither, or too few distinct dates to tell.
    A day paid in several payments is several rows with one date, so equal neighbours are in
    order either way."""
    pairs = [(a, b) for a, b in pairwise(dates) if a != b]
    if not pairs:
        return Order.UNKNOWN
    if all(a > b for a, b in pairs):
        return Order.NEWEST_FIRST
    if all(a < b for a, b in pairs):
        return Order.OLDEST_FIRST
    return Order.UNORDERED


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


class PageSource(Protocol):
    async def earn_history_page(
        self, account: Account, page: int, page_size: int = DEFAULT_PAGE_SIZE
    ) -> EarnHistoryPage: ...


RowKey = tuple[date, str]


class _Drift(Exception):
    """Rows appeared or moved while paging: start the walk again."""


async def earn_history_pages(
    source: PageSource,
    account: Account,
    *,
    since: date | None = None,
    hint: PagingHint | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_repages: int = DEFAULT_MAX_REPAGES,
    report: WalkReport | None = None,
) -> AsyncIterator[EarnHistoryPage]:
    """Yield every page needed: all of them, or with `since` only those that can hold rows
    dated `since` or later (new days and days not yet settled or paid), in either order."""
    report = report if report is not None else WalkReport()
    report.mode = "full" if since is None else "incremental"
    for _ in range(max_repages + 1):
        walk = _Walk(source, account, page_size, max_pages, report)
        try:
            pages = walk.full() if since is None else walk.incremental(since, hint)
            async for page in pages:
                yield page
            await walk.confirm_first_page()
            report.order = detect_order(report.served_dates)
            if report.order is Order.UNKNOWN and walk.single_page_order is not None:
                report.order = walk.single_page_order
            unread = [error for number, error in report.bad_pages if number == report.repages]
            if unread:
                raise unread[0]
            return
        except _Drift:
            report.repages += 1
            hint = None  # the history moved: learn its shape again from page 1
    raise PaginationError(
        account.name,
        ENDPOINT,
        f"history kept changing while paging ({max_repages + 1} walks); try again later",
    )


async def collect_earn_history(
    source: PageSource,
    account: Account,
    *,
    since: date | None = None,
    hint: PagingHint | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    report: WalkReport | None = None,
) -> tuple[list[EarnHistoryPage], list[EarnHistoryRow]]:
    """All pages of a walk and its rows, each day as its last walk saw it, oldest first."""
    report = report if report is not None else WalkReport()
    walked: list[WalkedPage] = []
    async for page in earn_history_pages(
        source, account, since=since, hint=hint, page_size=page_size, report=report
    ):
        walked.append(WalkedPage(report.repages, page))
    rows = [row for page in last_walk_per_day(walked) for row in page.rows]
    pages = [item.page for item in walked]
    return pages, sorted(
        (row for row in rows if since is None or row.date >= since), key=lambda row: row.key
    )


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


class _Walk:
    """One attempt at a consistent walk; raises _Drift when the history moved under it."""

    def __init__(
        self,
        source: PageSource,
        account: Account,
        page_size: int,
        max_pages: int,
        report: WalkReport,
    ) -> None:
        self.source = source
        self.account = account
        self.page_size = page_size
        self.max_pages = max_pages
        self.report = report
        self.total: int | None = None
        self.pages: dict[int, tuple[RowKey, ...]] = {}
        self.where_seen: dict[RowKey, int] = {}
        self.day_earnings: dict[date, int] = {}
        self.single_page_order: Order | None = None
        report.served_dates = []

    async def get(self, number: int) -> EarnHistoryPage:
        if len(self.pages) >= self.max_pages:
            raise PaginationError(
                self.account.name, ENDPOINT, f"more than {self.max_pages} pages; giving up"
            )
        try:
            page = await self.source.earn_history_page(self.account, number, self.page_size)
        except MalformedData:
            self.report.pages_fetched += 1  # it came, but cannot be read
            raise
        self.report.pages_fetched += 1
        self._check(number, page)
        self.report.total_count = page.total_count
        return page

    def _check(self, number: int, page: EarnHistoryPage) -> None:
        if page.page_count > self.max_pages:
            raise PaginationError(
                self.account.name,
                ENDPOINT,
                f"page_count {page.page_count} is above the cap of {self.max_pages} pages",
            )
        if self.total is None:
            self.total = page.total_count
        elif page.total_count != self.total:
            raise _Drift
        keys = tuple(row.key for row in page.rows)
        for other, other_keys in self.pages.items():
            if keys and keys == other_keys:
                raise PaginationError(
                    self.account.name,
                    ENDPOINT,
                    f"the server returned the same rows for page {number} and page {other}; "
                    "it seems to ignore the page parameter",
                )
        # a row on two pages means rows moved while paging; a date on two pages does not (a
        # day paid in several payments is several rows, and they may straddle a page boundary)
        for key in keys:
            if self.where_seen.setdefault(key, number) != number:
                raise _Drift
        for row in page.rows:  # a day's rows on two pages disagree: it changed in between
            if self.day_earnings.setdefault(row.date, row.earnings_sat) != row.earnings_sat:
                raise _Drift
        self.pages[number] = keys
        if self.single_page_order is None:
            order = detect_order([row.date for row in page.rows])
            self.single_page_order = order if order is not Order.UNKNOWN else None

    async def confirm_first_page(self) -> None:
        """Fetch the walk's first page again: a history that slid while paging (a day added at
        one end, one dropped at the other) keeps its total_count and can hide a row between two
        pages, but it shows as a changed first page."""
        if len(self.pages) < 2:
            return
        number, keys = next(iter(self.pages.items()))
        page = await self.source.earn_history_page(self.account, number, self.page_size)
        self.report.pages_fetched += 1
        if page.total_count != self.total or tuple(row.key for row in page.rows) != keys:
            raise _Drift

    def _record(self, page: EarnHistoryPage, at_end: bool) -> None:
        dates = [row.date for row in page.rows]
        served = self.report.served_dates
        self.report.served_dates = served + dates if at_end else dates + served

    async def full(self) -> AsyncIterator[EarnHistoryPage]:
        """Every page; one that cannot be read is gone past (the rest of the history is still
        worth keeping), and the walk fails at its end."""
        first = await self.get(1)
        self._record(first, at_end=True)
        yield first
        for number in range(2, first.page_count + 1):
            try:
                page = await self.get(number)
            except MalformedData as error:
                self.report.bad_pages.append((self.report.repages, error))
                continue
            self._record(page, at_end=True)
            yield page

    async def incremental(
        self, since: date, hint: PagingHint | None
    ) -> AsyncIterator[EarnHistoryPage]:
        if hint is not None and hint.order is Order.OLDEST_FIRST and hint.total_count > 0:
            async for page in self._tail(since, math.ceil(hint.total_count / self.page_size)):
                yield page
            return
        first = await self.get(1)
        self._record(first, at_end=True)
        yield first
        order = detect_order([row.date for row in first.rows])
        if order is Order.NEWEST_FIRST or first.page_count <= 1:
            page, number = first, 1
            while number < page.page_count and _oldest(page) >= since:
                number += 1
                page = await self.get(number)
                self._record(page, at_end=True)
                yield page
        elif order is Order.OLDEST_FIRST:
            async for page in self._tail(since, first.page_count, have_first=True):
                yield page
        else:
            for number in range(2, first.page_count + 1):
                page = await self.get(number)
                self._record(page, at_end=True)
                yield page

    async def _tail(
        self, since: date, guess: int, have_first: bool = False
    ) -> AsyncIterator[EarnHistoryPage]:
        """Oldest-first: the rows at or after `since` are on the last pages; walk back to it."""
        page = await self.get(guess)
        if (not page.rows or guess > page.page_count) and page.page_count >= 1:
            guess = page.page_count
            page = await self.get(guess)
        if detect_order([row.date for row in page.rows]) is Order.NEWEST_FIRST:
            raise _Drift  # the pool changed its order since the hint: a fresh walk sorts it out
        fetched = {guess: page}
        self._record(page, at_end=True)
        yield page
        for number in range(guess + 1, page.page_count + 1):
            fetched[number] = await self.get(number)
            self._record(fetched[number], at_end=True)
            yield fetched[number]
        number = guess
        lowest = 2 if have_first else 1
        while number > lowest and fetched[number].rows and _oldest(fetched[number]) >= since:
            number -= 1
            fetched[number] = await self.get(number)
            self._record(fetched[number], at_end=False)
            yield fetched[number]


def _oldest(page: EarnHistoryPage) -> date:
    return min(row.date for row in page.rows) if page.rows else date.min
