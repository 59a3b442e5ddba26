"""Which days the warehouse holds, and how much of a tax year that is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from poolbooks.warehouse.connection import connect_read_only

_DAYS = "select min(date), max(date) from daily_earnings"


@dataclass(frozen=True)
class Coverage:
    """The first and last day the warehouse has (for the accounts asked), None when none."""

    first: date | None
    last: date | None

    @property
    def years(self) -> str:
        if self.first is None or self.last is None:
            return "none"
        if self.first.year == self.last.year:
            return str(self.first.year)
        return f"{self.first.year} to {self.last.year}"

    @property
    def span(self) -> str:
        return f"days from {self.first} to {self.last} (years {self.years})"

    @property
    def days(self) -> str:
        return f"days from {self.first} to {self.last}"

    def has_any_of(self, year: int) -> bool:
        return (
            self.first is not None
            and self.last is not None
            and self.first.year <= year <= self.last.year
        )

    def gap_in(self, year: int) -> str | None:
        """How `year` falls short of whole, in words; None when every day of it is here."""
        if self.first is None or self.last is None:
            return "the warehouse has no days at all: run `poolbooks ingest`, then `build`"
        if not self.has_any_of(year):
            return f"the warehouse has no day of {year}: it holds {self.span}"
        start, end = max(self.first, date(year, 1, 1)), min(self.last, date(year, 12, 31))
        if (start, end) == (date(year, 1, 1), date(year, 12, 31)):
            return None
        return (
            f"{year} is only partly in the warehouse, from {start} to {end}; it holds {self.days}"
        )


def coverage(warehouse: Path, accounts: tuple[str, ...] = ()) -> Coverage:
    """The days `daily_earnings` holds for `accounts` (every account when empty)."""
    query, params = _DAYS, []
    if accounts:
        query += f" where account in ({', '.join('?' for _ in accounts)})"
        params = list(accounts)
    with connect_read_only(warehouse) as con:
        row = con.execute(query, params).fetchone()
    first, last = row if row is not None else (None, None)
    return Coverage(first, last)
