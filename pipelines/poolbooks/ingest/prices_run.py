"""A prices run: the days each mined coin needs and the lake lacks -> the price source -> the
lake, with every row of the user's override files, in one atomic commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

import anyio

from poolbooks.http.errors import RequestError
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.prices_report import PricesReport, SeriesReport
from poolbooks.ingest.prices_state import PriceState, read_price_state
from poolbooks.ingest.run_ids import new_run_id
from poolbooks.lake.buffer import RunBuffer
from poolbooks.lake.datasets import PRICES
from poolbooks.lake.schemas import SCHEMA_VERSION
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api.accounts import Account
from poolbooks.prices.candles import Candle
from poolbooks.prices.client import CandleAnswer, CoinbaseCandles, day_windows
from poolbooks.prices.overrides import read_override_files
from poolbooks.prices.settings import PriceSettings

OVERRIDE = "override"  # the `source` of a row from the user's override file


class PricesConfig(Protocol):
    """What a prices run needs of the configuration (the parsed config is one)."""

    @property
    def client(self) -> ClientSettings: ...

    @property
    def accounts(self) -> tuple[Account, ...]: ...

    @property
    def price_settings(self) -> PriceSettings: ...


def source_client(config: PricesConfig, clock: Callable[[], datetime]) -> CoinbaseCandles:
    """The configured source's client: `[client]`'s limits at `[prices]`'s own rate."""
    settings = config.price_settings
    limits = replace(config.client, requests_per_second=settings.requests_per_second)
    return CoinbaseCandles(settings.base_url, limits, clock=clock)


async def fetch_prices(
    config: PricesConfig,
    storage: LakeStorage,
    *,
    since: date | None = None,
    client: CoinbaseCandles | None = None,
    clock: Callable[[], datetime] | None = None,
) -> PricesReport:
    """Fetch the days each coin the accounts mine needs (from `since`, else `[prices] since`,
    else its first earning day in the lake, else today; to today UTC) that hold no final
    candle yet, less the days an override file gives; write them and every override row.

    Override files are read first: a bad one stops the run before any request. A range the
    source failed on is named in the report; the other ranges' candles are written.
    """
    settings = config.price_settings
    clock = clock or (client.clock if client else lambda: datetime.now(UTC))
    overrides = read_override_files(settings.overrides)
    now = clock().astimezone(UTC)
    report = PricesReport(new_run_id(now), settings.source, datetime.now(UTC))
    names = [a.name for a in config.accounts]
    state = await anyio.to_thread.run_sync(
        read_price_state, storage, settings.currency, settings.source, names
    )
    owned = client is None
    client = client or source_client(config, clock)
    run = _Run(client, RunBuffer(report.run_id), settings.source, now)
    try:
        async with anyio.create_task_group() as group:
            for coin in sorted({a.coin for a in config.accounts}):
                first = since or settings.since or state.first_earning_day.get(coin) or now.date()
                series = report.series[coin] = SeriesReport(coin, settings.currency, first)
                needed = _needed(series, state, overrides.get(coin, {}), now.date())
                for window in day_windows(sorted(needed)):
                    group.start_soon(run.fetch, series, window, needed)
    finally:
        report.requests = client.stats.requests
        report.retries = client.stats.retries
        report.rate_limited = client.stats.rate_limited
        if owned:
            await client.aclose()
    for coin, prices in overrides.items():
        run.add_overrides(coin, settings.currency, prices)
        if coin in report.series:
            report.series[coin].overrides = len(prices)
    report.files = await anyio.to_thread.run_sync(
        lambda: run.buffer.commit(storage, f"{now:%Y-%m-%d}")
    )
    for series in report.series.values():
        series.gaps.sort()
    return report


def _needed(
    series: SeriesReport, state: PriceState, overridden: dict[date, Decimal], today: date
) -> set[date]:
    """Days from the series' first to today without a final candle or an override."""
    have = state.final_days.get(series.coin, set()) | set(overridden)
    days = (series.since + timedelta(days=n) for n in range((today - series.since).days + 1))
    needed = {day for day in days if day not in have}
    series.needed = len(needed)
    return needed


class _Run:
    """One run's client, rows and clock: `now` (UTC) says which days had ended."""

    def __init__(self, client: CoinbaseCandles, buffer: RunBuffer, source: str, now: datetime):
        self.client = client
        self.buffer = buffer
        self.source = source
        self.now = now

    async def fetch(
        self, series: SeriesReport, window: tuple[date, date], needed: set[date]
    ) -> None:
        """One range of days: its candles written, the needed days it lacks noted as gaps."""
        first, last = window
        series.requests += 1
        try:
            answer = await self.client.daily(series.coin, series.currency, first, last)
        except RequestError as exc:
            series.error = series.error or exc.cause
            return
        got = {candle.day for candle in answer.candles}
        series.gaps += [day for day in needed if first <= day <= last and day not in got]
        for candle in answer.candles:
            if candle.day in needed:
                self.add_candle(series, answer, candle)

    def add_candle(self, series: SeriesReport, answer: CandleAnswer, candle: Candle) -> None:
        final = candle.day < self.now.date()  # its day ended before the run began
        series.stored += 1
        series.final += final
        row = self._row(answer.fetched_at, series.coin, series.currency, candle.day)
        row.update(open=candle.open, high=candle.high, low=candle.low, close=candle.close)
        self.buffer.add_row(
            PRICES.name, {**row, "volume": candle.volume, "source": self.source, "final": final}
        )

    def add_overrides(self, coin: str, currency: str, prices: dict[date, Decimal]) -> None:
        """Every row of a coin's override file: the day's close, final, source `override`."""
        for day, price in sorted(prices.items()):
            row = self._row(self.now, coin, currency, day)
            row.update(open=None, high=None, low=None, close=price, volume=None)
            self.buffer.add_row(PRICES.name, {**row, "source": OVERRIDE, "final": True})

    def _row(self, fetched_at: datetime, coin: str, currency: str, day: date) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "run_id": self.buffer.run_id,
            "fetched_at": fetched_at,
            "coin": coin,
            "currency": currency,
            "date": day,
        }
