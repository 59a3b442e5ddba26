"""The simulated Coinbase candles: Coinbase's shape and limits, the same answers for the same
seed, a plausible market (BTC from hundreds of dollars to tens of thousands, BCH from
2017-08-01), EUR from USD, today's candle moving with the clock, and the faults."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.server import create_app

pytestmark = pytest.mark.anyio
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def app(seed: int = 1, faults: str = "") -> Any:
    pool = SimulatedPool(seed=seed, n_accounts=1, days=10, now=NOW)
    return create_app(pool, parse_faults(faults))


async def btc_usd(served: Any, start: str, end: str) -> list[list[Decimal]]:
    return rows(await get(served, "/products/BTC-USD/candles", start=start, end=end))


async def get(served: Any, path: str, **params: str | int) -> httpx.Response:
    transport = httpx.ASGITransport(app=served)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim.test") as client:
        return await client.get(path, params=params)


def rows(response: httpx.Response) -> list[list[Decimal]]:
    assert response.status_code == 200, response.text
    loaded: list[list[Decimal]] = json.loads(response.text, parse_float=Decimal, parse_int=Decimal)
    return loaded


def day_of(row: list[Decimal]) -> date:
    return datetime.fromtimestamp(int(row[0]), UTC).date()


async def test_candles_are_coinbase_rows_newest_first_at_midnight() -> None:
    answer = await get(
        app(), "/products/BTC-USD/candles", granularity=86400, start="2020-03-01", end="2020-03-10"
    )
    found = rows(answer)
    assert [day_of(r) for r in found] == [date(2020, 3, 10) - timedelta(n) for n in range(10)]
    for time, low, high, open_, close, volume in found:
        assert int(time) % 86400 == 0
        assert 0 < low <= min(open_, close) <= max(open_, close) <= high and volume > 0
    for older, newer in zip(found[1:], found, strict=False):
        assert newer[3] == older[4]  # a day opens at the day before's close


async def test_the_same_seed_gives_the_same_market_and_another_seed_another() -> None:
    asked: dict[str, str | int] = {
        "granularity": 86400,
        "start": "2019-05-01T00:00:00Z",
        "end": "2019-05-31T00:00:00Z",
    }
    one = (await get(app(1), "/products/BCH-EUR/candles", **asked)).text
    assert one == (await get(app(1), "/products/BCH-EUR/candles", **asked)).text
    assert one != (await get(app(2), "/products/BCH-EUR/candles", **asked)).text


async def test_btc_grows_from_hundreds_to_tens_of_thousands_and_bch_starts_in_august_2017() -> None:
    served = app()
    first = await btc_usd(served, "2016-01-01", "2016-01-01")
    later = await btc_usd(served, "2025-06-01", "2025-06-01")
    assert Decimal(200) < first[0][4] < Decimal(1000)
    assert Decimal(10_000) < later[0][4] < Decimal(200_000)
    bch = rows(await get(served, "/products/BCH-USD/candles", start="2017-07-01", end="2017-08-03"))
    assert [day_of(r) for r in bch] == [date(2017, 8, 3), date(2017, 8, 2), date(2017, 8, 1)]


async def test_eur_is_usd_at_a_rate_that_drifts_slowly() -> None:
    served = app()
    asked = {"start": "2022-01-01", "end": "2022-07-19"}
    usd = rows(await get(served, "/products/BTC-USD/candles", **asked))
    eur = rows(await get(served, "/products/BTC-EUR/candles", **asked))
    rates = [e[4] / u[4] for u, e in zip(usd, eur, strict=True)]
    assert all(Decimal("0.8") < rate < Decimal("1.0") for rate in rates)
    assert all(abs(a - b) < Decimal("0.01") for a, b in itertools.pairwise(rates))


async def test_todays_candle_moves_with_the_clock_until_its_day_closes() -> None:
    served = app()
    pool = served.state.sim.pool
    asked = {"start": "2026-11-21", "end": "2026-11-23"}
    noon = rows(await get(served, "/products/BTC-USD/candles", **asked))
    assert [day_of(r) for r in noon] == [date(2026, 11, 22), date(2026, 11, 21)]
    pool.advance(seconds=6 * 3600)
    evening = rows(await get(served, "/products/BTC-USD/candles", **asked))
    assert evening[1] == noon[1]  # yesterday stays as it was
    assert evening[0][4] != noon[0][4] and evening[0][5] > noon[0][5]  # today moved on
    pool.advance(days=1)
    closed = rows(await get(served, "/products/BTC-USD/candles", **asked))
    later = rows(await get(served, "/products/BTC-USD/candles", **asked))
    pool.advance(days=3)
    much_later = rows(await get(served, "/products/BTC-USD/candles", **asked))
    assert closed[1] == later[1] == much_later[1]  # 11-22 closed: it no longer changes
    assert closed[0] != much_later[0]  # 11-23 went on until its own end


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/products/BTC-USD/candles", {"start": "2016-01-01", "end": "2016-10-28"}, 400, "300"),
        ("/products/BTC-USD/candles", {"granularity": 3600}, 400, "granularity"),
        ("/products/BTC-USD/candles", {"start": "nope", "end": "2016-01-02"}, 400, "start"),
        ("/products/ETH-USD/candles", {}, 404, "NotFound"),
        ("/products/BTC-JPY/candles", {}, 404, "NotFound"),
    ],
)
async def test_refusals_are_coinbases_message_bodies(
    path: str, params: dict[str, str | int], status: int, message: str
) -> None:
    answer = await get(app(), path, **params)
    assert answer.status_code == status
    assert message in answer.json()["message"]


async def test_a_range_of_exactly_300_days_is_served_301_candles() -> None:
    found = await btc_usd(app(), "2016-01-01", "2016-10-27")
    assert len(found) == 301  # 300 buckets from start, both ends included: as measured


async def test_the_faults_reach_the_candles_with_coinbases_bodies() -> None:
    limited = await get(app(faults="429=1"), "/products/BTC-USD/candles")
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert set(limited.json()) == {"message"}
    assert (await get(app(faults="5xx=1"), "/products/BTC-USD/candles")).status_code >= 500
    no_envelope = await get(app(faults="err_no=1"), "/products/BTC-USD/candles")
    assert isinstance(rows(no_envelope), list)
    torn = await get(app(faults="badjson=1"), "/products/BTC-USD/candles")
    with pytest.raises(json.JSONDecodeError):
        json.loads(torn.text)
