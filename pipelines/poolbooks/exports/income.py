"""Income events read from the warehouse: payouts (receipt basis) or earning days (accrual)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from poolbooks.exports.errors import ExportError
from poolbooks.exports.names import BASES
from poolbooks.warehouse.connection import connect_read_only

__all__ = ["BASES", "ExportError", "IncomeEvent", "income_events"]


@dataclass(frozen=True)
class IncomeEvent:
    """One taxable receipt: when (UTC), whose, how much (satoshi), and the tx if paid."""

    timestamp: datetime
    account: str
    puid: int
    coin: str
    amount_sat: int
    payment_tx: str | None
    basis: str
    earning_days: int
    address: str | None = None

    def local_date(self, zone: tzinfo) -> date:
        return self.timestamp.astimezone(zone).date()


_RECEIPTS = """
select p.payment_time, p.account, d.puid, p.coin, p.paid_sat, p.payment_tx, p.earning_days,
       p.last_date, p.address
from payouts p
join (select account, coin, any_value(puid) as puid from daily_earnings group by all) d
  using (account, coin)
where p.paid_sat > 0
"""
_ACCRUALS = """
select date, account, puid, coin, earnings_sat
from daily_earnings
where earnings_sat > 0
"""


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
        if basis == "receipt":
            for row in con.execute(_RECEIPTS).fetchall():
                paid_at, account, puid, coin, sat, tx, days, last, address = row
                when = (
                    paid_at or datetime.combine(last + timedelta(days=1), time(), UTC)
                ).astimezone(UTC)
                events.append(IncomeEvent(when, account, puid, coin, sat, tx, basis, days, address))
        else:
            for day, account, puid, coin, sat in con.execute(_ACCRUALS).fetchall():
                when = datetime.combine(day, time(), UTC)
                events.append(IncomeEvent(when, account, puid, coin, sat, None, basis, 1))
    chosen = [
        e
        for e in events
        if e.local_date(zone).year == year and (not accounts or e.account in accounts)
    ]
    return sorted(chosen, key=lambda e: (e.timestamp, e.account, e.payment_tx or ""))
