"""earn-history paging: both orders, drift, loops, caps and incremental page selection."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from poolbooks.pool_api.errors import PaginationError
from poolbooks.pool_api.order import Order, detect_order
from poolbooks.pool_api.paging import collect_earn_history
from poolbooks.pool_api.walk_report import PagingHint, WalkReport
from poolbooks.simulator.accounts import SIM_FIRST_PUID, SimAccount
from tests.conftest import FAST_SETTINGS, Sim
from tests.pool_api.test_client import ACCOUNT

pytestmark = pytest.mark.anyio
# Page geometry tests use one row per day (no day paid in two payments), so that page N holds
# days 50(N-1) .. 50N-1 counted from either end; the tests with such days come after them.
PLAIN = {SIM_FIRST_PUID: {"split_payments": False}}
OLDEST_FIRST = {SIM_FIRST_PUID: {"order": "oldest_first", "split_payments": False}}


def pool_keys(sim: Sim, since: date | None = None) -> list[tuple[date, str]]:
    """The (date, payment_tx) of every row the pool holds for its first account, sorted."""
    keys = [
        (
            date(int(str(r["date"])[:4]), int(str(r["date"])[4:6]), int(str(r["date"])[6:])),
            str(r["payment_tx"]),
        )
        for r in sim.pool.earn_history_rows(sim.pool.accounts[0])
    ]
    return sorted(k for k in keys if since is None or k[0] >= since)


def test_detect_order() -> None:
    d = date(2020, 1, 1)
    assert detect_order([d, d - timedelta(1)]) is Order.NEWEST_FIRST
    assert detect_order([d, d + timedelta(1)]) is Order.OLDEST_FIRST
    assert detect_order([d, d + timedelta(2), d + timedelta(1)]) is Order.UNORDERED
    assert detect_order([d]) is Order.UNKNOWN
    # a day paid in two payments is two rows of one date, in order either way
    assert detect_order([d, d, d - timedelta(1)]) is Order.NEWEST_FIRST
    assert detect_order([d, d, d + timedelta(1), d + timedelta(1)]) is Order.OLDEST_FIRST
    assert detect_order([d, d]) is Order.UNKNOWN


@pytest.mark.parametrize(
    ("overrides", "order"), [(PLAIN, Order.NEWEST_FIRST), (OLDEST_FIRST, Order.OLDEST_FIRST)]
)
async def test_full_walk_gets_every_day_once_in_either_order(
    make_sim: Callable[..., Sim], overrides: dict[int, dict[str, str]], order: Order
) -> None:
    sim = make_sim(days=120, overrides=overrides)
    report = WalkReport()
    async with sim.client() as client:
        pages, rows = await collect_earn_history(client, sim.accounts[0], report=report)
    assert [p.page for p in pages] == [1, 2, 3]
    assert report.pages_fetched == 4  # and page 1 once more: the history did not slide
    assert [r.date for r in rows] == [sim.pool.first_day + timedelta(days=i) for i in range(120)]
    assert report.order is order and report.total_count == 120 and report.repages == 0


@pytest.mark.parametrize(
    "overrides",
    [{}, {SIM_FIRST_PUID: {"order": "oldest_first"}}],
    ids=["newest-first", "oldest-first"],
)
async def test_rows_inserted_while_paging_cause_a_repage_and_nothing_is_lost(
    make_sim: Callable[..., Sim], overrides: dict[int, dict[str, str]]
) -> None:
    clean = make_sim(days=120, overrides=overrides)
    drifting = make_sim("drift=2", days=120, overrides=overrides)
    async with clean.client() as client:
        _, expected = await collect_earn_history(client, clean.accounts[0])
    report = WalkReport()
    async with drifting.client() as client:
        _, rows = await collect_earn_history(client, drifting.accounts[0], report=report)
    assert report.repages == 1
    assert rows == expected


def _slide_once(sim: Sim) -> None:
    """Serve the 120 oldest of 121 days until page 1 has been read, then the 120 newest: a day
    comes and a day goes, so total_count stays 120 while every row moves one place."""
    original = sim.pool.earn_history_rows
    calls = 0

    def sliding(account: SimAccount) -> list[dict[str, Any]]:
        nonlocal calls
        rows = original(account)
        calls += 1
        gone = min(rows, key=lambda row: int(row["date"])) if calls > 1 else None
        latest = max(rows, key=lambda row: int(row["date"]))
        return [row for row in rows if row is not (gone or latest)]

    sim.pool.earn_history_rows = sliding  # type: ignore[method-assign]


@pytest.mark.parametrize(
    ("overrides", "pages_fetched"),
    # newest-first: the row that slid onto page 2 was on page 1 too, seen at page 2 (2 pages),
    # then a clean walk (3 pages and page 1 again); oldest-first: no row repeats, one slid off
    # page 2 unseen, and only page 1 fetched again at the end shows it (4 + 4 pages).
    [(PLAIN, 2 + 4), (OLDEST_FIRST, 4 + 4)],
    ids=["newest-first", "oldest-first"],
)
async def test_a_history_that_slides_while_paging_is_repaged_and_loses_no_day(
    make_sim: Callable[..., Sim], overrides: dict[int, dict[str, str]], pages_fetched: int
) -> None:
    sim = make_sim(days=121, overrides=overrides)
    _slide_once(sim)
    report = WalkReport()
    async with sim.client() as client:
        _, rows = await collect_earn_history(client, sim.accounts[0], report=report)
    newest = [sim.pool.first_day + timedelta(days=i) for i in range(1, 121)]
    assert set(newest) <= {row.date for row in rows}
    assert report.repages == 1 and report.total_count == 120
    assert report.pages_fetched == pages_fetched


def _looping_transport() -> httpx.MockTransport:
    row = {"date": 20200101, "earnings": 1, "paid_amount": 0, "payment_time": "0"}

    def handler(request: httpx.Request) -> httpx.Response:
        rows = [dict(row, date=20200105 - i) for i in range(3)]
        data = {"page": "1", "page_size": "3", "page_count": 4, "total_count": 12, "list": rows}
        return httpx.Response(200, content=json.dumps({"err_no": 0, "data": data}).encode())

    return httpx.MockTransport(handler)


async def test_server_that_ignores_the_page_parameter_is_detected() -> None:
    from poolbooks.pool_api.client import PoolClient

    async with PoolClient(FAST_SETTINGS, transport=_looping_transport()) as client:
        with pytest.raises(PaginationError, match="same rows for page 2 and page 1"):
            await collect_earn_history(client, ACCOUNT, page_size=3)


async def test_page_count_above_the_cap_is_refused(make_sim: Callable[..., Sim]) -> None:
    from poolbooks.pool_api.paging import earn_history_pages

    sim = make_sim(days=120)
    async with sim.client() as client:
        with pytest.raises(PaginationError, match="page_count 3 is above the cap of 2 pages"):
            async for _ in earn_history_pages(client, sim.accounts[0], max_pages=2):
                pass


async def test_endless_drift_gives_up_with_a_clear_error(make_sim: Callable[..., Sim]) -> None:
    sim = make_sim(days=120)
    original = sim.pool.earn_history_rows
    calls = 0

    def growing(account: SimAccount) -> list[dict[str, Any]]:
        nonlocal calls
        rows = original(account)
        calls += 1
        return rows[calls % 2 :]

    sim.pool.earn_history_rows = growing  # type: ignore[method-assign]
    async with sim.client() as client:
        with pytest.raises(PaginationError, match="history kept changing while paging"):
            await collect_earn_history(client, sim.accounts[0])


# page 1 holds today and the 49 days before it; when `since` is the oldest of them, its rows
# may go on at the top of page 2 (a day paid in several payments), so page 2 is read too
@pytest.mark.parametrize(
    ("back", "pages"), [(0, [1]), (10, [1]), (48, [1]), (49, [1, 2]), (50, [1, 2]), (80, [1, 2])]
)
async def test_incremental_newest_first_stops_at_the_page_holding_since(
    make_sim: Callable[..., Sim], back: int, pages: list[int]
) -> None:
    sim = make_sim(days=120, overrides=PLAIN)
    since = sim.pool.today - timedelta(days=back)
    async with sim.client() as client:
        fetched, rows = await collect_earn_history(client, sim.accounts[0], since=since)
    assert [p.page for p in fetched] == pages
    assert [r.date for r in rows] == [since + timedelta(days=i) for i in range(back + 1)]


@pytest.mark.parametrize(
    ("back", "pages"), [(0, [1, 3]), (15, [1, 3]), (25, [1, 3, 2]), (90, [1, 3, 2])]
)
async def test_incremental_oldest_first_without_hint_reads_page_one_then_the_tail(
    make_sim: Callable[..., Sim], back: int, pages: list[int]
) -> None:
    sim = make_sim(days=120, overrides=OLDEST_FIRST)
    since = sim.pool.today - timedelta(days=back)
    async with sim.client() as client:
        fetched, rows = await collect_earn_history(client, sim.accounts[0], since=since)
    assert [p.page for p in fetched] == pages
    assert [r.date for r in rows] == [since + timedelta(days=i) for i in range(back + 1)]


async def test_incremental_oldest_first_with_hint_needs_one_page(
    make_sim: Callable[..., Sim],
) -> None:
    sim = make_sim(days=120, overrides=OLDEST_FIRST)
    first = WalkReport()
    async with sim.client() as client:
        await collect_earn_history(client, sim.accounts[0], report=first)
        assert first.hint == PagingHint(Order.OLDEST_FIRST, 120)
        second = WalkReport()
        since = sim.pool.today - timedelta(days=5)
        fetched, rows = await collect_earn_history(
            client, sim.accounts[0], since=since, hint=first.hint, report=second
        )
    assert [p.page for p in fetched] == [3]
    assert len(rows) == 6 and second.order is Order.OLDEST_FIRST


@pytest.mark.parametrize("overrides", [PLAIN, OLDEST_FIRST], ids=["newest-first", "oldest-first"])
async def test_incremental_after_the_clock_moves_picks_up_new_and_settled_days(
    make_sim: Callable[..., Sim], overrides: dict[int, dict[str, str]]
) -> None:
    sim = make_sim(days=120, overrides=overrides)
    account = sim.accounts[0]
    async with sim.client() as client:
        report = WalkReport()
        _, before = await collect_earn_history(client, account, report=report)
        provisional = before[-1]
        assert provisional.date == sim.pool.today and provisional.earnings_sat == 0
        sim.pool.advance(days=1)
        requests = client.stats.requests
        _, after = await collect_earn_history(
            client, account, since=provisional.date, hint=report.hint
        )
        assert client.stats.requests - requests == 1
    assert [r.date for r in after] == [provisional.date, provisional.date + timedelta(days=1)]
    assert after[0].earnings_sat > 0  # yesterday's provisional row has settled


async def test_incremental_on_unordered_server_falls_back_to_every_page(
    make_sim: Callable[..., Sim],
) -> None:
    sim = make_sim(days=120, overrides=PLAIN)
    original = sim.pool.earn_history_rows

    def shuffled(account: object) -> list[dict[str, object]]:
        rows = original(account)  # type: ignore[arg-type]
        return sorted(rows, key=lambda row: (int(row["date"]) % 7, int(row["date"])))

    sim.pool.earn_history_rows = shuffled  # type: ignore[method-assign]
    since = sim.pool.today - timedelta(days=3)
    async with sim.client() as client:
        fetched, rows = await collect_earn_history(client, sim.accounts[0], since=since)
    assert len(fetched) == 3
    assert [r.date for r in rows] == [since + timedelta(days=i) for i in range(4)]


# --- days paid in several payments: several rows of one date, maybe on two pages ------------

SPLIT_OLDEST_FIRST = {SIM_FIRST_PUID: {"order": "oldest_first"}}


@pytest.mark.parametrize(
    ("overrides", "order"),
    [({}, Order.NEWEST_FIRST), (SPLIT_OLDEST_FIRST, Order.OLDEST_FIRST)],
    ids=["newest-first", "oldest-first"],
)
async def test_a_full_walk_keeps_every_payment_row_and_a_day_on_two_pages_is_no_drift(
    make_sim: Callable[..., Sim], overrides: dict[int, dict[str, str]], order: Order
) -> None:
    sim = make_sim(days=200, overrides=overrides)
    served = sim.pool.earn_history_rows(sim.pool.accounts[0])
    if order is Order.OLDEST_FIRST:  # the 50th day's two rows end page 1 and start page 2
        assert served[49]["date"] == served[50]["date"]
    report = WalkReport()
    async with sim.client() as client:
        _, rows = await collect_earn_history(client, sim.accounts[0], report=report)
    assert [r.key for r in rows] == pool_keys(sim)
    assert len(rows) > 200 and len({r.date for r in rows}) == 200
    assert report.repages == 0 and report.order is order


async def test_incremental_oldest_first_reads_back_to_every_row_of_since(
    make_sim: Callable[..., Sim],
) -> None:
    sim = make_sim(days=120, overrides=SPLIT_OLDEST_FIRST)
    since = sim.pool.first_day + timedelta(days=49)  # its rows: the last of page 1, first of 2
    first = WalkReport()
    async with sim.client() as client:
        await collect_earn_history(client, sim.accounts[0], report=first)
        fetched, rows = await collect_earn_history(
            client, sim.accounts[0], since=since, hint=first.hint
        )
    assert [p.page for p in fetched] == [3, 2, 1]
    assert [r.key for r in rows] == pool_keys(sim, since)
    assert [r.date for r in rows].count(since) == 2


async def test_a_day_whose_rows_on_two_pages_disagree_moved_while_paging(
    make_sim: Callable[..., Sim],
) -> None:
    sim = make_sim(days=120, overrides=SPLIT_OLDEST_FIRST)
    original = sim.pool.earn_history_rows
    straddling = int(original(sim.pool.accounts[0])[49]["date"])
    calls = 0

    def restated_once(account: SimAccount) -> list[dict[str, Any]]:
        nonlocal calls
        rows = original(account)
        calls += 1
        if calls != 2:
            return rows
        return [  # page 2 is served while the day's earnings change
            dict(r, earnings=int(r["earnings"]) + 1) if int(r["date"]) == straddling else r
            for r in rows
        ]

    sim.pool.earn_history_rows = restated_once  # type: ignore[method-assign]
    report = WalkReport()
    async with sim.client() as client:
        _, rows = await collect_earn_history(client, sim.accounts[0], report=report)
    assert report.repages == 1
    assert [r.key for r in rows] == pool_keys(sim)


async def test_a_row_served_on_two_pages_is_drift_and_is_kept_once(
    make_sim: Callable[..., Sim],
) -> None:
    sim = make_sim(days=120)
    original = sim.pool.earn_history_rows
    calls = 0

    def repeated_once(account: SimAccount) -> list[dict[str, Any]]:
        nonlocal calls
        rows = original(account)
        calls += 1
        if calls != 2:
            return rows
        return [rows[0], *rows]  # page 2 starts with page 1's last row again

    sim.pool.earn_history_rows = repeated_once  # type: ignore[method-assign]
    report = WalkReport()
    async with sim.client() as client:
        _, rows = await collect_earn_history(client, sim.accounts[0], report=report)
    assert report.repages == 1
    assert [r.key for r in rows] == pool_keys(sim)
