"""The candles client over real HTTP on loopback against the simulated market: ranges of at
most 300 days, only the days asked for, 429 and 5xx retried, Coinbase's own refusals named."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from poolbooks.http.errors import HttpStatusError, ServerError
from poolbooks.http.settings import ClientSettings
from poolbooks.prices.client import MAX_DAYS, CoinbaseCandles, day_windows
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app

pytestmark = pytest.mark.anyio
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
QUICK = ClientSettings(
    requests_per_second=1000, concurrency=4, timeout_seconds=5, backoff_seconds=0.001,
    backoff_cap_seconds=0.01, max_attempts=6,
)  # fmt: skip


@pytest.fixture
def served() -> Iterator[RunningSimulator]:
    with running_simulator(create_app(SimulatedPool(n_accounts=1, days=30, now=NOW))) as sim:
        yield sim


def client(sim: RunningSimulator, settings: ClientSettings = QUICK) -> CoinbaseCandles:
    return CoinbaseCandles(sim.base_url, settings, clock=lambda: sim.state.pool.now)


async def test_a_window_of_300_days_is_one_request_with_every_day(
    served: RunningSimulator,
) -> None:
    candles = client(served)
    try:
        first = date(2024, 1, 1)
        answer = await candles.daily("BTC", "USD", first, first + timedelta(days=MAX_DAYS - 1))
    finally:
        await candles.aclose()
    days = [c.day for c in answer.candles]
    assert days == [first + timedelta(days=n) for n in range(MAX_DAYS)]
    assert candles.stats.requests == 1 and answer.product == "BTC-USD"
    assert answer.fetched_at == NOW


async def test_days_the_source_does_not_have_are_simply_absent(served: RunningSimulator) -> None:
    candles = client(served)
    try:
        before = await candles.daily("BCH", "USD", date(2017, 7, 30), date(2017, 8, 2))
        future = await candles.daily("BTC", "EUR", date(2026, 11, 21), date(2026, 11, 25))
    finally:
        await candles.aclose()
    assert [c.day for c in before.candles] == [date(2017, 8, 1), date(2017, 8, 2)]
    assert [c.day for c in future.candles] == [date(2026, 11, 21), date(2026, 11, 22)]


async def test_429_and_5xx_are_retried_until_the_candles_come(served: RunningSimulator) -> None:
    served.state.faults = parse_faults("5xx=0.2,429=0.2,retry_after=0")
    candles = client(served)
    try:
        for year in range(2018, 2026):
            answer = await candles.daily("BTC", "USD", date(year, 1, 1), date(year, 1, 10))
            assert len(answer.candles) == 10
    finally:
        await candles.aclose()
    statuses = served.state.by_status
    assert int(statuses.get("429", 0)) > 0 and candles.stats.rate_limited > 0
    assert any(int(statuses.get(s, 0)) for s in ("500", "502", "503", "504"))
    assert candles.stats.retries > 0 and candles.stats.requests > 8


async def test_a_source_down_after_retries_is_a_server_error(served: RunningSimulator) -> None:
    served.state.faults = parse_faults("5xx=1")
    settings = ClientSettings(max_attempts=3, backoff_seconds=0.001, backoff_cap_seconds=0.01)
    candles = client(served, settings)
    try:
        with pytest.raises(ServerError, match="gave up after 3 attempts"):
            await candles.daily("BTC", "USD", date(2024, 1, 1), date(2024, 1, 2))
    finally:
        await candles.aclose()


async def test_coinbases_refusals_are_final_and_carry_its_message(
    served: RunningSimulator,
) -> None:
    candles = client(served)
    try:
        with pytest.raises(HttpStatusError, match="HTTP 404: NotFound") as unknown:
            await candles.daily("BTC", "JPY", date(2024, 1, 1), date(2024, 1, 2))
        with pytest.raises(ValueError, match="1 to 300 days"):
            await candles.daily("BTC", "USD", date(2024, 1, 1), date(2024, 10, 27))
    finally:
        await candles.aclose()
    assert not unknown.value.retryable and candles.stats.requests == 1


def test_missing_days_are_grouped_into_the_fewest_ranges_of_300_days() -> None:
    start = date(2016, 1, 1)
    ten_years = [start + timedelta(days=n) for n in range(3653)]
    windows = day_windows(ten_years)
    assert len(windows) == 13  # ceil(3653 / 300)
    assert all((last - first).days < MAX_DAYS for first, last in windows)
    assert windows[0] == (start, start + timedelta(days=299))
    assert windows[-1][1] == ten_years[-1]
    scattered = [date(2020, 1, 1), date(2020, 6, 1), date(2020, 10, 26), date(2020, 10, 27)]
    assert day_windows(scattered) == [
        (date(2020, 1, 1), date(2020, 10, 26)),
        (date(2020, 10, 27), date(2020, 10, 27)),
    ]


async def test_a_candle_before_the_start_is_dropped_as_coinbase_may_send_one() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.params["start"] == "2024-01-02T00:00:00Z"
        days = (1704240000, 1704153600, 1704067200)  # 01-03, 01-02 and 01-01, newest first
        body = "[" + ", ".join(f"[{t}, 1, 2, 1, 1, 1]" for t in days) + "]"
        return httpx.Response(200, content=body.encode())

    candles = CoinbaseCandles("http://coinbase.test", QUICK, httpx.MockTransport(answer))
    try:
        answer_ = await candles.daily("BTC", "USD", date(2024, 1, 2), date(2024, 1, 3))
    finally:
        await candles.aclose()
    assert [c.day for c in answer_.candles] == [date(2024, 1, 2), date(2024, 1, 3)]
