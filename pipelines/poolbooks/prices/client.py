"""Coinbase Exchange's public candles (`GET /products/{COIN}-{CUR}/candles`), no key, on the
shared requester: its rate limit, retries with Retry-After, bodyless GETs and User-Agent."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time

import httpx

from poolbooks.http.errors import HttpStatusError
from poolbooks.http.requester import Call, Requester, RequestStats
from poolbooks.http.settings import ClientSettings
from poolbooks.prices.candles import ENDPOINT, Candle, parse_candles

DAY_SECONDS = 86400
# Coinbase refuses a request whose range spans more than 300 buckets ("Count of aggregations
# requested exceeds 300"); a request here spans at most this many days, ends included.
MAX_DAYS = 300
# 400 (a bad range or granularity) and 404 (no such product) carry `{"message": ...}`.
MESSAGE_STATUSES = frozenset({400, 404})


@dataclass(frozen=True)
class CandleAnswer:
    """One request's candles for the days it asked about, and what was asked."""

    product: str
    first: date
    last: date
    candles: tuple[Candle, ...]
    fetched_at: datetime


def product_id(coin: str, currency: str) -> str:
    return f"{coin}-{currency}"


def _iso(day: date) -> str:
    return datetime.combine(day, time(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CoinbaseCandles:
    """Daily candles of one product for a range of at most MAX_DAYS days."""

    def __init__(
        self,
        base_url: str,
        settings: ClientSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.clock = clock  # stamps `fetched_at` and says which days have closed
        settings = replace(settings, limiter_url=None)  # the pool's shared rate is not ours
        self.base_url = base_url.rstrip("/")
        self._requester = Requester.from_settings(settings, transport)

    @property
    def stats(self) -> RequestStats:
        return self._requester.stats

    async def aclose(self) -> None:
        await self._requester.aclose()

    async def daily(self, coin: str, currency: str, first: date, last: date) -> CandleAnswer:
        """The candles of `first`..`last` (UTC days, both included) the source has: a day
        with no trades, or before the product was listed, has none. Candles outside the
        range (the source may add one before `start`) are dropped."""
        if not 0 <= (last - first).days < MAX_DAYS:
            raise ValueError(f"a request covers 1 to {MAX_DAYS} days, not {first}..{last}")
        product = product_id(coin, currency)
        call = Call(
            url=f"{self.base_url}/products/{product}/candles",
            account=product,
            endpoint=ENDPOINT,
            params={"granularity": DAY_SECONDS, "start": _iso(first), "end": _iso(last)},
            server="price source",
        )

        def parse(status: int, raw: bytes) -> CandleAnswer:
            if status in MESSAGE_STATUSES:
                raise HttpStatusError(product, ENDPOINT, status, f"HTTP {status}: {_message(raw)}")
            candles = [c for c in parse_candles(raw, product) if first <= c.day <= last]
            return CandleAnswer(product, first, last, tuple(candles), self.clock())

        ok = frozenset({200}) | MESSAGE_STATUSES
        return await self._requester.fetch(call, parse, ok_statuses=ok)


def _message(raw: bytes) -> str:
    """Coinbase's `{"message": ...}`, or the start of whatever else came."""
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return raw[:200].decode("utf-8", "replace") or "no message"


def day_windows(days: list[date], size: int = MAX_DAYS) -> list[tuple[date, date]]:
    """The fewest ranges of at most `size` days that cover `days` (sorted): each starts at a
    day still uncovered and ends at the last of them within `size` days."""
    windows: list[tuple[date, date]] = []
    for day in sorted(days):
        if windows and (day - windows[-1][0]).days < size:
            windows[-1] = (windows[-1][0], day)
        else:
            windows.append((day, day))
    return windows
