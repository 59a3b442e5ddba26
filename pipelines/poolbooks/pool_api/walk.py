"""One attempt at a consistent earn-history walk: full or incremental, and drift detected."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import date
from typing import Protocol

from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.errors import MalformedData, PaginationError
from poolbooks.pool_api.order import Order, detect_order
from poolbooks.pool_api.records import EarnHistoryPage
from poolbooks.pool_api.walk_report import PagingHint, WalkReport

DEFAULT_PAGE_SIZE = 50
ENDPOINT = "earn-history"


class PageSource(Protocol):
    async def earn_history_page(
        self, account: Account, page: int, page_size: int = DEFAULT_PAGE_SIZE
    ) -> EarnHistoryPage: ...


RowKey = tuple[date, str]


class Drift(Exception):
    """Rows appeared or moved while paging: start the walk again."""


class Walk:
    """One attempt at a consistent walk; raises Drift when the history moved under it."""

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
            raise Drift
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
                raise Drift
        for row in page.rows:  # a day's rows on two pages disagree: it changed in between
            if self.day_earnings.setdefault(row.date, row.earnings_sat) != row.earnings_sat:
                raise Drift
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
            raise Drift

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
            raise Drift  # the pool changed its order since the hint: a fresh walk sorts it out
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
