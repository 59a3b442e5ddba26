"""A simulated market: each coin's daily candles in USD and EUR, a plausible walk from the seed.

BTC trades from 2015 (about $430 at the start of 2016, tens of thousands ten years on), BCH from
2017-08-01; EUR is USD times a slowly varying rate. A day's candle is final once the clock has
passed its end; today's moves with the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from statistics import NormalDist

from poolbooks.simulator.draws import unit_hash

CENT = Decimal("0.01")
SATOSHI = Decimal("0.00000001")
CURRENCIES = ("USD", "EUR")


@dataclass(frozen=True)
class Listing:
    """A coin's market: when it opened, the trend its log price follows between two anchors,
    and its usual daily volume in coins."""

    opened: date
    anchor: tuple[date, float]
    later: tuple[date, float]
    volume: float

    def trend(self, day: date) -> float:
        (d0, p0), (d1, p1) = self.anchor, self.later
        slope = (math.log(p1) - math.log(p0)) / (d1 - d0).days
        return math.log(p0) + slope * (day - d0).days


LISTINGS = {
    "BTC": Listing(date(2015, 1, 1), (date(2016, 1, 1), 430.0), (date(2026, 1, 1), 60_000.0), 9e3),
    "BCH": Listing(date(2017, 8, 1), (date(2017, 8, 1), 600.0), (date(2026, 1, 1), 450.0), 4e4),
}
CYCLE_DAYS = 1461  # a four-year swing around the trend
CYCLE_SIZE = 0.45
STEP_SIZE = 0.035  # the day-to-day noise of the log price
PULL = 0.97  # how much of yesterday's deviation stays
SPREAD = 0.025  # how far high and low reach beyond open and close, at most
STANDARD_NORMAL = NormalDist()


@dataclass(frozen=True)
class SimCandle:
    day: date
    low: Decimal
    high: Decimal
    open: Decimal
    close: Decimal
    volume: Decimal


@dataclass
class SimulatedMarket:
    """Every coin's daily closes in USD from its opening day, computed once as far as asked."""

    seed: int
    _deviation: dict[str, list[float]] = field(default_factory=dict)

    def lists(self, coin: str, currency: str) -> bool:
        return coin in LISTINGS and currency in CURRENCIES

    def opened(self, coin: str) -> date:
        return LISTINGS[coin].opened

    def candle(self, coin: str, currency: str, day: date, now: datetime) -> SimCandle | None:
        """The candle of `day` as seen at `now`: complete for a day that has ended, growing
        for today, none for a later day or one before the coin traded."""
        listing = LISTINGS[coin]
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        if day < listing.opened or start > now:
            return None
        elapsed = min(1.0, (now - start).total_seconds() / 86400)
        rate = self._rate(currency, day)
        open_ = self._close_usd(coin, day - timedelta(days=1)) * rate
        full_close = self._close_usd(coin, day) * rate
        close = open_ + (full_close - open_) * elapsed
        if elapsed < 1:  # the last trade so far wanders a little around the way to the close
            slot = int((now - start).total_seconds()) // 600
            close *= 1 + 0.004 * (unit_hash(self.seed, "tick", coin, day, slot) - 0.5)
        reach_up = 1 + SPREAD * elapsed * unit_hash(self.seed, "high", coin, day)
        reach_down = 1 - SPREAD * elapsed * unit_hash(self.seed, "low", coin, day)
        usual = listing.volume * (0.5 + unit_hash(self.seed, "volume", coin, day))
        return SimCandle(
            day=day,
            low=_price(min(open_, close) * reach_down, ROUND_FLOOR),
            high=_price(max(open_, close) * reach_up, ROUND_CEILING),
            open=_price(open_, ROUND_HALF_EVEN),
            close=_price(close, ROUND_HALF_EVEN),
            volume=Decimal(usual * elapsed).quantize(SATOSHI),
        )

    def _close_usd(self, coin: str, day: date) -> float:
        listing = LISTINGS[coin]
        day = max(day, listing.opened)  # the opening day opens at its own close
        phase = 2 * math.pi * unit_hash(self.seed, "cycle", coin)
        index = (day - listing.opened).days
        cycle = CYCLE_SIZE * math.sin(2 * math.pi * index / CYCLE_DAYS + phase)
        return math.exp(listing.trend(day) + cycle + self._walk(coin, index))

    def _walk(self, coin: str, index: int) -> float:
        """The noise around trend and cycle on the `index`-th day of trading: each day keeps
        PULL of the day before's and adds a normal step drawn from the seed."""
        walk = self._deviation.setdefault(coin, [0.0])
        while len(walk) <= index:
            u = min(max(unit_hash(self.seed, "step", coin, len(walk)), 1e-12), 1 - 1e-12)
            walk.append(PULL * walk[-1] + STEP_SIZE * STANDARD_NORMAL.inv_cdf(u))
        return walk[index]

    def _rate(self, currency: str, day: date) -> float:
        """The currency's units per US dollar on `day` (EUR: around 0.9, drifting slowly)."""
        if currency == "USD":
            return 1.0
        phase = 2 * math.pi * unit_hash(self.seed, "rate", currency)
        return 0.9 + 0.06 * math.sin(2 * math.pi * day.toordinal() / 2200 + phase)


def _price(value: float, rounding: str) -> Decimal:
    return max(CENT, Decimal(value).quantize(CENT, rounding=rounding))


@lru_cache(maxsize=8)
def market(seed: int) -> SimulatedMarket:
    """The market of a seed, kept: its walks are computed once per process."""
    return SimulatedMarket(seed)
