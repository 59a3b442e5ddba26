"""The halving schedule: each coin's block subsidy from the day it is in force."""

from __future__ import annotations

from datetime import date

# Halvings (date the new subsidy is in force) and the subsidy from then on, in satoshi.
SUBSIDY_SCHEDULE: dict[str, tuple[tuple[date, int], ...]] = {
    "BTC": (
        (date(2009, 1, 3), 5_000_000_000),
        (date(2012, 11, 28), 2_500_000_000),
        (date(2016, 7, 9), 1_250_000_000),
        (date(2020, 5, 11), 625_000_000),
        (date(2024, 4, 20), 312_500_000),
    ),
    "BCH": (
        (date(2009, 1, 3), 5_000_000_000),
        (date(2012, 11, 28), 2_500_000_000),
        (date(2016, 7, 9), 1_250_000_000),
        (date(2020, 4, 8), 625_000_000),
        (date(2024, 4, 3), 312_500_000),
    ),
}
SUBSIDY_SCHEDULE["SBTC"] = SUBSIDY_SCHEDULE["BTC"]
SUBSIDY_SCHEDULE["UBTC"] = SUBSIDY_SCHEDULE["BTC"]
# Block heights at known dates (the halvings), 144 blocks a day in between and after.
HEIGHT_ANCHORS: tuple[tuple[date, int], ...] = (
    (date(2009, 1, 3), 0),
    (date(2012, 11, 28), 210_000),
    (date(2016, 7, 9), 420_000),
    (date(2020, 5, 11), 630_000),
    (date(2024, 4, 20), 840_000),
)


def subsidy_sat(coin: str, day: date) -> int:
    """Block subsidy in satoshi in force on `day` (the halving day counts as the new one)."""
    current = SUBSIDY_SCHEDULE[coin][0][1]
    for start, amount in SUBSIDY_SCHEDULE[coin]:
        if day >= start:
            current = amount
    return current


def halving_heights() -> tuple[tuple[date, int], ...]:
    """BTC's block heights on the days its subsidy changed: 0, 210,000, 420,000, ..."""
    return HEIGHT_ANCHORS
