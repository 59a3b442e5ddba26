"""What the lake already holds for prices: the days each coin has a final candle of, and the
first day each coin was earned on (where its prices are needed from)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage

_FINAL_DAYS = """
select distinct coin, date from prices
where currency = $currency and source = $source and final
"""
_FINAL_ON = """
select distinct coin from prices where currency = $currency and date = $day and final
"""
_FIRST_EARNING_DAYS = """
select coin, min(date) from history where list_contains($accounts, account) group by coin
"""


@dataclass(frozen=True)
class PriceState:
    """Per coin: the days with a final candle from the source, and the first earning day."""

    final_days: dict[str, set[date]] = field(default_factory=dict)
    first_earning_day: dict[str, date] = field(default_factory=dict)


def read_price_state(
    storage: LakeStorage, currency: str, source: str, accounts: Sequence[str]
) -> PriceState:
    """The lake's prices of `currency` from `source`, and the earn-history of `accounts` (none:
    not read). A lake with neither is not opened in DuckDB at all."""
    final_days: dict[str, set[date]] = defaultdict(set)
    first: dict[str, date] = {}
    history = bool(accounts) and bool(readable_files(storage, "earn_history").paths)
    if not history and not readable_files(storage, "prices").paths:
        return PriceState()
    import duckdb  # only with something to read: a first fetch starts without it

    from poolbooks.lake.reader import register_dataset

    with duckdb.connect() as con:
        if register_dataset(con, "prices", storage, "prices"):
            found = con.execute(_FINAL_DAYS, {"currency": currency, "source": source})
            for coin, day in found.fetchall():
                final_days[coin].add(day)
        if history and register_dataset(con, "history", storage, "earn_history"):
            earned = con.execute(_FIRST_EARNING_DAYS, {"accounts": list(accounts)})
            first = dict(earned.fetchall())
    return PriceState(dict(final_days), first)


def coins_priced_on(storage: LakeStorage, currency: str, day: date) -> set[str]:
    """The coins with a final price of `day` in `currency` (from the source or an override)."""
    import duckdb

    from poolbooks.lake.reader import register_dataset

    with duckdb.connect() as con:
        if not register_dataset(con, "prices", storage, "prices"):
            return set()
        found = con.execute(_FINAL_ON, {"currency": currency, "day": day}).fetchall()
    return {coin for (coin,) in found}
