"""The halving schedule, read from the warehouse's seed so that it is kept once."""

from __future__ import annotations

from datetime import date
from functools import cache

import duckdb

from poolbooks.sql_folder import seed_file

SUBSIDY_SEED = "seed_block_subsidy"
HALVING_INTERVAL_BLOCKS = 210_000

Schedule = tuple[tuple[date, int], ...]


@cache
def subsidy_schedule() -> dict[str, Schedule]:
    """Per coin, each block subsidy in satoshi from the day it is in force, oldest first: the
    seed's rows as DuckDB reads them (`sql/seeds/seed_block_subsidy.sql`)."""
    with duckdb.connect() as con:
        rows = con.execute(seed_file(SUBSIDY_SEED).read_text(encoding="utf-8")).fetchall()
    steps: dict[str, list[tuple[date, int]]] = {}
    for coin, start, amount in sorted(rows):
        steps.setdefault(str(coin), []).append((start, int(amount)))
    return {coin: tuple(coin_steps) for coin, coin_steps in steps.items()}


def subsidy_sat(coin: str, day: date) -> int:
    """Block subsidy in satoshi in force on `day` (the halving day counts as the new one)."""
    schedule = subsidy_schedule()[coin]
    current = schedule[0][1]
    for start, amount in schedule:
        if day >= start:
            current = amount
    return current


@cache
def halving_heights() -> Schedule:
    """BTC's block heights on the days its subsidy changed: 0, 210,000, 420,000, ..."""
    btc = subsidy_schedule()["BTC"]
    return tuple((start, i * HALVING_INTERVAL_BLOCKS) for i, (start, _) in enumerate(btc))
