"""The candles GET on the wire, read off a raw socket: a request line and exactly the headers
every poolbooks GET sends (no body, nothing announcing one, no key), kept alive."""

from __future__ import annotations

from datetime import date

import pytest

from poolbooks.http.settings import ClientSettings
from poolbooks.prices.client import CoinbaseCandles
from tests.http.raw_server import running_raw_server
from tests.http.test_wire import BODY_HEADERS, EXPECTED_HEADERS, REPEATS, expected_head

pytestmark = pytest.mark.anyio
SETTINGS = ClientSettings(requests_per_second=1000, concurrency=4, timeout_seconds=5)
CANDLES = b"[[1704153600, 42000.5, 45000, 42200, 44950.01, 12.5]]"
TARGET = (
    "/products/BTC-USD/candles?granularity=86400"
    "&start=2024-01-01T00:00:00Z&end=2024-01-02T00:00:00Z"
)


async def test_the_candles_get_is_bare_and_keyed_by_nothing() -> None:
    with running_raw_server(lambda path: CANDLES) as server:
        candles = CoinbaseCandles(server.base_url + "/", SETTINGS)
        try:
            for _ in range(REPEATS):
                answer = await candles.daily("BTC", "USD", date(2024, 1, 1), date(2024, 1, 2))
                assert [c.day for c in answer.candles] == [date(2024, 1, 2)]
        finally:
            await candles.aclose()
        server.wait_for_hangups()
    assert server.connections == 1
    for request in server.requests:
        assert request.head == expected_head(TARGET, server.port)
        assert request.after == b""
        assert request.headers == [
            (name, value.format(port=server.port)) for name, value in EXPECTED_HEADERS
        ]
        assert {name.lower() for name, _ in request.headers}.isdisjoint(BODY_HEADERS)
        assert b"key" not in request.head.lower()
