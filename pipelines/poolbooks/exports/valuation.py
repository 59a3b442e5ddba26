"""Each income event's price and value: from a `--prices` file, else from the warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from decimal import Decimal
from pathlib import Path

from poolbooks.exports.errors import ExportError
from poolbooks.exports.income import IncomeEvent
from poolbooks.exports.money import fiat_value, read_prices

DEFAULT_CURRENCY = "USD"  # of a `--prices` file given without `--currency`
FIX_PRICES = (
    "fetch prices with `poolbooks prices`, then `poolbooks build`; or give the day in a "
    "[prices] overrides file; or value the export with --prices FILE"
)


@dataclass(frozen=True)
class Priced:
    """An event with its fiat price and value, or None and None when it has none."""

    event: IncomeEvent
    price: Decimal | None
    value: Decimal | None
    currency: str


@dataclass(frozen=True)
class Valuation:
    """The events priced, and why their values are empty when the warehouse has no prices."""

    rows: list[Priced]
    note: str | None = None

    @property
    def currency(self) -> str | None:
        """The currency of the values; None when there are none."""
        return next((row.currency for row in self.rows if row.value is not None), None)


def value_events(
    events: list[IncomeEvent],
    zone: tzinfo,
    *,
    prices_file: Path | None,
    currency: str | None,
    priced_coins: frozenset[str],
) -> Valuation:
    """Values from `prices_file` when given (the price of each event's date in `zone`), else
    the warehouse's. A needed day without a price is an error naming the first; a warehouse
    with no price of any coin exported leaves the values empty, with a note saying so."""
    if prices_file is not None:
        code = (currency or DEFAULT_CURRENCY).upper()
        return Valuation(_from_file(events, zone, prices_file, code))
    return _from_warehouse(events, currency.upper() if currency else None, priced_coins)


def _from_file(
    events: list[IncomeEvent], zone: tzinfo, prices_file: Path, currency: str
) -> list[Priced]:
    coins_seen = sorted({e.coin for e in events})
    if len(coins_seen) > 1:
        raise ExportError(
            f"--prices holds one coin's prices but the export has {', '.join(coins_seen)}; "
            "export one coin at a time with --account"
        )
    prices = read_prices(prices_file)
    missing = sorted({e.local_date(zone) for e in events} - prices.keys())
    if missing:
        raise ExportError(
            f"--prices: no price for {missing[0]} in {prices_file}"
            + (f" (and {len(missing) - 1} more dates)" if len(missing) > 1 else "")
        )
    return [
        Priced(
            e,
            prices[e.local_date(zone)],
            fiat_value(e.amount_sat, prices[e.local_date(zone)]),
            currency,
        )
        for e in events
    ]


def _from_warehouse(
    events: list[IncomeEvent], currency: str | None, priced_coins: frozenset[str]
) -> Valuation:
    coins = sorted({e.coin for e in events})
    if not events or not priced_coins.intersection(coins):
        note = (
            f"note: values are empty: the warehouse has no {' or '.join(coins)} prices; "
            "fetch them with `poolbooks prices` (then `poolbooks build`), or give --prices FILE"
        )
        return Valuation([Priced(e, None, None, "") for e in events], note if events else None)
    held = next(e.valued.currency for e in events if e.valued is not None)
    if currency is not None and currency != held:
        raise ExportError(
            f"--currency {currency}: the warehouse values in {held} ([prices] currency); "
            f"leave --currency out, or give --prices FILE with prices in {currency}"
        )
    rows = [_priced(e, held) for e in events]
    missing = sorted({(_price_day(row.event), row.event.coin) for row in rows if row.value is None})
    if missing:
        day, coin = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise ExportError(
            f"no {coin} price for {day} in the warehouse ({held}){more}: {FIX_PRICES}"
        )
    return Valuation(rows)


def _priced(event: IncomeEvent, currency: str) -> Priced:
    if event.valued is None:
        return Priced(event, None, None, currency)
    return Priced(event, event.valued.price, event.valued.value, currency)


def _price_day(event: IncomeEvent) -> date:
    """The UTC day whose close values the event (as the warehouse chose it)."""
    return event.valued.price_date if event.valued else event.timestamp.date()
