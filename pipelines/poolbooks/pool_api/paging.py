"""Paging earn-history without trusting row order: walks started again on drift, as pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.errors import PaginationError
from poolbooks.pool_api.order import Order, detect_order
from poolbooks.pool_api.records import EarnHistoryPage, EarnHistoryRow
from poolbooks.pool_api.walk import DEFAULT_PAGE_SIZE, ENDPOINT, Drift, PageSource, Walk
from poolbooks.pool_api.walk_days import WalkedPage, last_walk_per_day
from poolbooks.pool_api.walk_report import PagingHint, WalkReport

DEFAULT_MAX_PAGES = 1000
DEFAULT_MAX_REPAGES = 3


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
        walk = Walk(source, account, page_size, max_pages, report)
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
        except Drift:
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
