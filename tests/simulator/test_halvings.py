"""The halving schedule, kept once: the warehouse's seed, which the simulator reads too."""

from __future__ import annotations

from datetime import date

import duckdb

from poolbooks.simulator.halvings import (
    SUBSIDY_SEED,
    halving_heights,
    subsidy_sat,
    subsidy_schedule,
)
from poolbooks.sql_folder import seed_file
from poolbooks.warehouse.project import load_project


def test_subsidy_halves_on_the_halving_day() -> None:
    assert subsidy_sat("BTC", date(2024, 4, 19)) == 625_000_000
    assert subsidy_sat("BTC", date(2024, 4, 20)) == 312_500_000
    assert subsidy_sat("BCH", date(2020, 4, 8)) == 625_000_000
    assert subsidy_sat("BCH", date(2020, 4, 7)) == 1_250_000_000
    assert subsidy_sat("UBTC", date(2009, 1, 3)) == 5_000_000_000


def test_the_simulator_reads_the_seed_the_warehouse_builds() -> None:
    seed = load_project().models[SUBSIDY_SEED]
    assert seed.layer == "seeds" and seed.path == seed_file(SUBSIDY_SEED)
    with duckdb.connect() as con:
        built = con.execute(f"select * from ({seed.sql}) order by all").fetchall()
    read = [(coin, day, sat) for coin, steps in subsidy_schedule().items() for day, sat in steps]
    assert sorted(read) == built
    assert {coin for coin, *_ in built} == {"BTC", "BCH", "SBTC", "UBTC"}


def test_halving_heights_are_btcs_halving_days_210000_blocks_apart() -> None:
    assert halving_heights() == (
        (date(2009, 1, 3), 0),
        (date(2012, 11, 28), 210_000),
        (date(2016, 7, 9), 420_000),
        (date(2020, 5, 11), 630_000),
        (date(2024, 4, 20), 840_000),
    )
