"""The halving schedule: the subsidy in force on each day, the heights of the halvings."""

from __future__ import annotations

from datetime import date

from pipelines.simulator.halvings import (
    halving_heights,
    subsidy_sat,
)


def test_subsidy_halves_on_the_halving_day() -> None:
    assert subsidy_sat("BTC", date(2024, 4, 19)) == 625_000_000
    assert subsidy_sat("BTC", date(2024, 4, 20)) == 312_500_000
    assert subsidy_sat("BCH", date(2020, 4, 8)) == 625_000_000
    assert subsidy_sat("BCH", date(2020, 4, 7)) == 1_250_000_000
    assert subsidy_sat("UBTC", date(2009, 1, 3)) == 5_000_000_000


def test_halving_heights_are_btcs_halving_days_210000_blocks_apart() -> None:
    assert halving_heights() == (
        (date(2009, 1, 3), 0),
        (date(2012, 11, 28), 210_000),
        (date(2016, 7, 9), 420_000),
        (date(2020, 5, 11), 630_000),
        (date(2024, 4, 20), 840_000),
    )
