"""Income events read from the warehouse: payouts (receipt basis) or earning days (accrual),
each with the value the warehouse gives it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path

import duckdb

from poolbooks.exports.errors import ExportError
from poolbooks.exports.money import price_places
from poolbooks.exports.names import BASES
from poolbooks.warehouse.connection import connect_read_only

__all__ = ["BASES", "ExportError", "IncomeEvent", "WarehouseValue", "income_events"]


@dataclass(frozen=True)
class WarehouseValue:
    """What the warehouse values an event at: the UTC day whose close prices it, that close
    and the value to the cent (both None when the day has no price), in `currency`."""

    price_date: date
    currency: str
    price: Decimal | None
    value: Decimal | None


@dataclass(frozen=True)
class IncomeEvent:
    """One taxable receipt: when (UTC), whose, how much (satoshi), the tx if paid, and what the
    warehouse values it at."""

    timestamp: datetime
    account: str
    puid: int
    coin: str
    amount_sat: int
    payment_tx: str | None
    basis: str
    earning_days: int
    address: str | None = None
    valued: WarehouseValue | None = None

    def local_date(self, zone: tzinfo) -> date:
        return self.timestamp.astimezone(zone).date()


_RECEIPTS = """
select p.payment_time, p.account, d.puid, p.coin, p.paid_sat, p.payment_tx, p.earning_days,
       p.last_date, p.address, p.price_date, p.price_currency, p.price_close, p.paid_value
from payouts p
join (select account, coin, any_value(puid) as puid from daily_earnings group by all) d
  using (account, coin)
where p.paid_sat > 0
"""
_ACCRUALS = """
select date, account, puid, coin, earnings_sat, date, price_currency, price_close, earnings_value
from daily_earnings
where earnings_sat > 0
"""
# the coins that have at least one price in the warehouse, on a day or a payout
_PRICED_COINS = """
select coin from daily_earnings where price_close is not null
union
select coin from payouts where price_close is not null
"""
_OLD_WAREHOUSE = (
    "the warehouse at {path} predates values (no price columns): run `poolbooks build` again"
)


def _valued(
    price_date: date, currency: str, close: Decimal | None, value: Decimal | None
) -> WarehouseValue:
    return WarehouseValue(
        price_date, currency, None if close is None else price_places(close), value
    )


def income_events(
    warehouse: Path,
    basis: str,
    year: int,
    zone: tzinfo,
    accounts: tuple[str, ...] = (),
) -> list[IncomeEvent]:
    """The year's events, the year taken from each event's date in `zone`, oldest first.

    A payout with no payment time is dated 00:00 UTC on the day after its last earning day.
    """
    if basis not in BASES:
        raise ExportError(f"unknown basis {basis!r} (receipt or accrual)")
    events: list[IncomeEvent] = []
    with connect_read_only(warehouse) as con:
        try:
            rows = con.execute(_RECEIPTS if basis == "receipt" else _ACCRUALS).fetchall()
        except duckdb.BinderException:
            raise ExportError(_OLD_WAREHOUSE.format(path=warehouse)) from None
    if basis == "receipt":
        for row in rows:
            paid_at, account, puid, coin, sat, tx, days, last, address, *value = row
            when = (paid_at or datetime.combine(last + timedelta(days=1), time(), UTC)).astimezone(
                UTC
            )
            events.append(
                IncomeEvent(
                    when, account, puid, coin, sat, tx, basis, days, address, _valued(*value)
                )
            )
    else:
        for day, account, puid, coin, sat, *value in rows:
            when = datetime.combine(day, time(), UTC)
            events.append(
                IncomeEvent(when, account, puid, coin, sat, None, basis, 1, valued=_valued(*value))
            )
    chosen = [
        e
        for e in events
        if e.local_date(zone).year == year and (not accounts or e.account in accounts)
    ]
    return sorted(chosen, key=lambda e: (e.timestamp, e.account, e.payment_tx or ""))


def priced_coins(warehouse: Path) -> frozenset[str]:
    """The coins the warehouse has any price of (none: `poolbooks prices` never ran for them)."""
    with connect_read_only(warehouse) as con:
        try:
            return frozenset(coin for (coin,) in con.execute(_PRICED_COINS).fetchall())
        except duckdb.BinderException:
            raise ExportError(_OLD_WAREHOUSE.format(path=warehouse)) from None
