"""The simulated blockchain: network difficulty by date, block heights, network hashrate."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from poolbooks.simulator.draws import unit_hash
from poolbooks.simulator.halvings import halving_heights

SAT_PER_COIN = 100_000_000
RETARGET_DAYS = 14
EPOCH_ORIGIN = date(2009, 1, 3)
BLOCKS_PER_DAY = 144.0

# Network difficulty of BTC at a few dates (rounded public figures); log-linear in between.
BTC_DIFFICULTY_ANCHORS: tuple[tuple[date, float], ...] = (
    (date(2013, 1, 1), 3.3e6),
    (date(2014, 1, 1), 1.4e9),
    (date(2015, 1, 1), 4.1e10),
    (date(2016, 1, 1), 1.03e11),
    (date(2017, 1, 1), 3.17e11),
    (date(2017, 2, 12), 4.22e11),
    (date(2018, 1, 1), 1.93e12),
    (date(2018, 7, 1), 5.2e12),
    (date(2019, 1, 1), 5.6e12),
    (date(2019, 7, 1), 7.9e12),
    (date(2020, 1, 1), 1.39e13),
    (date(2021, 1, 1), 1.87e13),
    (date(2021, 5, 1), 2.5e13),
    (date(2021, 7, 15), 1.4e13),
    (date(2022, 1, 1), 2.45e13),
    (date(2023, 1, 1), 3.5e13),
    (date(2024, 1, 1), 7.2e13),
    (date(2025, 1, 1), 1.1e14),
    (date(2026, 1, 1), 1.48e14),
    (date(2027, 1, 1), 1.8e14),
)
# Difficulty of each coin relative to BTC (BCH's hashrate share fell after the 2017 fork).
RELATIVE_DIFFICULTY: dict[str, tuple[tuple[date, float], ...]] = {
    "BTC": ((date(2009, 1, 3), 1.0),),
    "BCH": (
        (date(2017, 8, 1), 0.1),
        (date(2019, 1, 1), 0.03),
        (date(2021, 1, 1), 0.015),
        (date(2024, 1, 1), 0.006),
    ),
    "SBTC": ((date(2009, 1, 3), 1e-5),),
    "UBTC": ((date(2009, 1, 3), 1e-5),),
}


def _log_interpolate(anchors: tuple[tuple[date, float], ...], day: date) -> float:
    if len(anchors) == 1:
        return anchors[0][1]
    if day <= anchors[0][0]:
        (d0, v0), (d1, v1) = anchors[0], anchors[1]
    elif day >= anchors[-1][0]:
        (d0, v0), (d1, v1) = anchors[-2], anchors[-1]
    else:
        index = next(i for i in range(1, len(anchors)) if anchors[i][0] >= day)
        (d0, v0), (d1, v1) = anchors[index - 1], anchors[index]
    share = (day - d0).days / max(1, (d1 - d0).days)
    return math.exp(math.log(v0) + share * (math.log(v1) - math.log(v0)))


def epoch_start(day: date) -> date:
    """First day of the ~two-week difficulty epoch that `day` falls in."""
    epochs = (day - EPOCH_ORIGIN).days // RETARGET_DAYS
    return EPOCH_ORIGIN + timedelta(days=epochs * RETARGET_DAYS)


def difficulty(coin: str, day: date, seed: int) -> float:
    """Network difficulty in force on `day`: a step every 14 days, with seeded noise."""
    start = epoch_start(day)
    noise = 1 + (unit_hash(seed, "difficulty", coin, start) - 0.5) * 0.04
    btc = _log_interpolate(BTC_DIFFICULTY_ANCHORS, start)
    relative = _log_interpolate(RELATIVE_DIFFICULTY[coin], start)
    return float(round(btc * relative * noise))


def block_height(when: datetime) -> int:
    """Approximate block height at a time: the halvings' heights, 144 blocks a day elsewhere."""
    anchors = halving_heights()
    day = when.astimezone(UTC).date()
    fraction = (when.astimezone(UTC) - datetime(day.year, day.month, day.day, tzinfo=UTC)) / (
        timedelta(days=1)
    )
    previous = anchors[0]
    for anchor in anchors:
        if anchor[0] <= day:
            previous = anchor
    following = next((a for a in anchors if a[0] > day), None)
    if following is None:
        per_day = BLOCKS_PER_DAY
    else:
        per_day = (following[1] - previous[1]) / (following[0] - previous[0]).days
    return int(previous[1] + ((day - previous[0]).days + fraction) * per_day)


def network_hashrate_hs(coin: str, day: date, seed: int) -> float:
    """Hashrate implied by difficulty: difficulty * 2^32 / 600 seconds per block."""
    return difficulty(coin, day, seed) * 2**32 / 600
