"""A prices run: the days each mined coin needs and the lake lacks -> the price source -> the
lake, with every row of the user's override files, in one atomic commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import anyio

from poolbooks.http.errors import RequestError
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.prices_report import PricesReport, SeriesReport
from poolbooks.ingest.run_ids import new_run_id
from poolbooks.lake.buffer import RunBuffer
from poolbooks.lake.datasets import PRICES
from poolbooks.lake.version import SCHEMA_VERSION
from poolbooks.pool_api.accounts import Account
from poolbooks.prices.candles import Candle
from poolbooks.prices.client import MAX_DAYS, CandleAnswer, CoinbaseCandles, day_windows
from poolbooks.prices.overrides import read_override_files
from poolbooks.prices.settings import PriceSettings

if TYPE_CHECKING:  # Arrow loads in a worker thread while the first requests go out
    from poolbooks.ingest.prices_state import PriceState
    from poolbooks.lake.storage import LakeStorage

OVERRIDE = "override"  # the `source` of a row from the user's override file
Window = tuple[date, date]


class PricesConfig(Protocol):
    """What a prices run needs of the configuration (the parsed config is one)."""

    @property
    def lake(self) -> str: ...

    @property
    def source(self) -> Path | None: ...  # the config file, named in errors

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
    storage: LakeStorage | None = None,
    *,
    since: date | None = None,
    client: CoinbaseCandles | None = None,
    clock: Callable[[], datetime] | None = None,
) -> PricesReport:
    """Fetch the days each coin the accounts mine needs (from `since`, else `[prices] since`,
    else its first earning day in the lake, else today; to today UTC) that hold no final
    candle yet, less the days an override file gives; write them and every override row.

    Override files are read first: a bad one stops the run before any request. Each coin's
    newest range (ending today, always needed) is asked at once, while the lake opens (None:
    `config.lake`, made a lake when new) and is read in a worker thread; the other ranges
    follow. A range the source failed on is named in the report; the rest is written.
    """
    settings = config.price_settings
    clock = clock or (client.clock if client else lambda: datetime.now(UTC))
    overrides = read_override_files(settings.overrides)
    now = clock().astimezone(UTC)
    report = PricesReport(new_run_id(now), settings.source, datetime.now(UTC))
    known_since = since or settings.since
    # each coin's first earning day is read only when no `since` says where prices start
    names = [] if known_since else [a.name for a in config.accounts]
    lake = _RunLake(storage, config, settings, names)
    owned = client is None
    client = client or source_client(config, clock)
    run = _Run(client, RunBuffer(report.run_id), settings, now)
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(lake.open, group.cancel_scope)
            group.start_soon(anyio.to_thread.run_sync, _warm_up_arrow)
            for coin in sorted({a.coin for a in config.accounts}):
                plan = _Plan(coin, known_since, overrides.get(coin, {}), report)
                group.start_soon(run.coin, group, plan, lake)
    finally:
        report.requests = client.stats.requests
        report.retries = client.stats.retries
        report.rate_limited = client.stats.rate_limited
        if owned:
            await client.aclose()
    if lake.error is not None:
        raise lake.error
    for coin, prices in overrides.items():
        run.add_overrides(coin, settings.currency, prices)
        if coin in report.series:
            report.series[coin].overrides = len(prices)
    opened = lake.storage
    assert opened is not None  # set by open, or its error raised above
    report.files = await anyio.to_thread.run_sync(
        lambda: run.buffer.commit(opened, f"{now:%Y-%m-%d}")
    )
    for series in report.series.values():
        series.gaps.sort()
    return report


class _RunLake:
    """The lake as it opens in a worker thread, and what it holds for prices."""

    def __init__(
        self,
        storage: LakeStorage | None,
        config: PricesConfig,
        settings: PriceSettings,
        names: list[str],
    ) -> None:
        self.storage = storage
        self.config = config
        self.settings = settings
        self.names = names
        self.state: PriceState | None = None
        self.error: Exception | None = None
        self.ready = anyio.Event()

    async def open(self, run: anyio.CancelScope) -> None:
        """A lake that cannot be opened stops the run: nothing fetched could be kept."""
        try:
            self.storage, self.state = await anyio.to_thread.run_sync(self._read)
        except Exception as exc:
            self.error = exc
            run.cancel()
        finally:
            self.ready.set()

    def _read(self) -> tuple[LakeStorage, PriceState]:
        from poolbooks.ingest.prices_state import read_price_state
        from poolbooks.lake.marker import create_lake

        storage = self.storage or create_lake(self.config.lake, self.config.source)
        state = read_price_state(storage, self.settings.currency, self.settings.source, self.names)
        return storage, state


class _Plan:
    """One coin's part of the run: where its days start when already known, its overrides."""

    def __init__(
        self,
        coin: str,
        known_since: date | None,
        overridden: dict[date, Decimal],
        report: PricesReport,
    ) -> None:
        self.coin = coin
        self.known_since = known_since
        self.overridden = overridden
        self.report = report

    def series(self, state: PriceState, currency: str, today: date) -> SeriesReport:
        first = self.known_since or state.first_earning_day.get(self.coin) or today
        series = self.report.series[self.coin] = SeriesReport(self.coin, currency, first)
        return series

    def needed(self, series: SeriesReport, state: PriceState, today: date) -> set[date]:
        """Days from the series' first to today without a final candle or an override."""
        have = state.final_days.get(self.coin, set()) | set(self.overridden)
        span = (today - series.since).days + 1
        needed = {series.since + timedelta(n) for n in range(span)} - have
        series.needed = len(needed)
        return needed


class _Run:
    """One run's client, rows and clock: `now` (UTC) says which days had ended."""

    def __init__(
        self, client: CoinbaseCandles, buffer: RunBuffer, settings: PriceSettings, now: datetime
    ) -> None:
        self.client = client
        self.buffer = buffer
        self.source = settings.source
        self.currency = settings.currency
        self.now = now

    async def coin(self, group: anyio.abc.TaskGroup, plan: _Plan, lake: _RunLake) -> None:
        """The newest range at once (today is never final), the rest once the lake says
        which days it lacks."""
        today = self.now.date()
        newest = (max(today - timedelta(MAX_DAYS - 1), plan.known_since or date.min), today)
        early: list[CandleAnswer | RequestError] = []
        asked = anyio.Event()
        if newest[0] <= today:
            group.start_soon(self._ask, plan.coin, newest, early, asked)
        else:
            asked.set()
        await lake.ready.wait()
        if lake.state is None:
            return  # the lake's error stops the run
        series = plan.series(lake.state, self.currency, today)
        needed = plan.needed(series, lake.state, today)
        rest = sorted(day for day in needed if not newest[0] <= day <= newest[1])
        for window in day_windows(rest):
            group.start_soon(self.fetch, series, window, needed)
        await asked.wait()
        if early:
            series.requests += 1
            self._record(series, newest, needed, early[0])

    async def _ask(
        self,
        coin: str,
        window: Window,
        into: list[CandleAnswer | RequestError],
        asked: anyio.Event,
    ) -> None:
        try:
            into.append(await self.client.daily(coin, self.currency, *window))
        except RequestError as exc:
            into.append(exc)
        finally:
            asked.set()

    async def fetch(self, series: SeriesReport, window: Window, needed: set[date]) -> None:
        """One range of days: its candles written, the needed days it lacks noted as gaps."""
        series.requests += 1
        try:
            answer: CandleAnswer | RequestError = await self.client.daily(
                series.coin, series.currency, *window
            )
        except RequestError as exc:
            answer = exc
        self._record(series, window, needed, answer)

    def _record(
        self,
        series: SeriesReport,
        window: Window,
        needed: set[date],
        answer: CandleAnswer | RequestError,
    ) -> None:
        if isinstance(answer, RequestError):
            series.error = series.error or answer.cause
            return
        first, last = window
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


def _warm_up_arrow() -> None:
    from poolbooks.ingest.batches import warm_up_arrow

    warm_up_arrow()
