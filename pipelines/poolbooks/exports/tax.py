"""`poolbooks export tax`: the three CSV formats docs/exports.md describes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal
from pathlib import Path

from poolbooks.exports.errors import ExportError
from poolbooks.exports.income import IncomeEvent, income_events
from poolbooks.exports.money import coins, fiat_value, read_prices
from poolbooks.exports.names import FORMATS
from poolbooks.exports.output import write_text_atomic

HEADERS = {
    "generic": [
        "timestamp_utc",
        "account",
        "puid",
        "coin",
        "amount",
        "amount_sat",
        "price",
        "value",
        "currency",
        "basis",
        "payment_tx",
    ],
    "koinly": [
        "Date",
        "Sent Amount",
        "Sent Currency",
        "Received Amount",
        "Received Currency",
        "Fee Amount",
        "Fee Currency",
        "Net Worth Amount",
        "Net Worth Currency",
        "Label",
        "Description",
        "TxHash",
    ],
    "cointracker": [
        "Date",
        "Received Quantity",
        "Received Currency",
        "Sent Quantity",
        "Sent Currency",
        "Fee Amount",
        "Fee Currency",
        "Tag",
    ],
}


@dataclass(frozen=True)
class Priced:
    """An event with its fiat price and value, when a prices file was given."""

    event: IncomeEvent
    price: Decimal | None
    value: Decimal | None
    currency: str


@dataclass(frozen=True)
class TaxExport:
    """A file written: where, how many rows, and the amount per coin (never summed across)."""

    path: Path
    rows: int
    totals_sat: dict[str, int]


def totals_by_coin(events: list[IncomeEvent]) -> dict[str, int]:
    """Satoshi per coin, coins in name order: BTC and BCH satoshi are not one unit."""
    totals: dict[str, int] = {}
    for event in events:
        totals[event.coin] = totals.get(event.coin, 0) + event.amount_sat
    return dict(sorted(totals.items()))


def _text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def _description(p: Priced) -> str:
    e = p.event
    if e.basis == "receipt":
        return f"{e.account} payout for {e.earning_days} day{'s' * (e.earning_days != 1)}"
    return f"{e.account} earnings of {e.timestamp:%Y-%m-%d}"


def _generic(p: Priced) -> list[str]:
    e = p.event
    return [
        e.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        e.account,
        str(e.puid),
        e.coin,
        f"{coins(e.amount_sat):f}",
        str(e.amount_sat),
        _text(p.price),
        _text(p.value),
        p.currency if p.value is not None else "",
        e.basis,
        e.payment_tx or "",
    ]


def _koinly(p: Priced) -> list[str]:
    e = p.event
    return [
        e.timestamp.strftime("%Y-%m-%d %H:%M UTC"),
        "",
        "",
        f"{coins(e.amount_sat):f}",
        e.coin,
        "",
        "",
        _text(p.value),
        p.currency if p.value is not None else "",
        "mining",
        _description(p),
        e.payment_tx or "",
    ]


def _cointracker(p: Priced) -> list[str]:
    e = p.event
    return [
        e.timestamp.strftime("%m/%d/%Y %H:%M:%S"),
        f"{coins(e.amount_sat):f}",
        e.coin,
        "",
        "",
        "",
        "",
        "mined",
    ]


ROWS: dict[str, Callable[[Priced], list[str]]] = {
    "generic": _generic,
    "koinly": _koinly,
    "cointracker": _cointracker,
}


def price_events(
    events: list[IncomeEvent], zone: tzinfo, prices_file: Path | None, currency: str
) -> list[Priced]:
    """Attach prices by each event's date in `zone`; a missing date is an error naming it."""
    if prices_file is None:
        return [Priced(e, None, None, currency) for e in events]
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


def render_csv(format_name: str, rows: list[Priced]) -> str:
    if format_name not in FORMATS:
        raise ExportError(f"unknown format {format_name!r} (one of {', '.join(FORMATS)})")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADERS[format_name])
    writer.writerows(ROWS[format_name](row) for row in rows)
    return buffer.getvalue()


def export_tax(
    warehouse: Path,
    output: Path,
    *,
    format_name: str,
    year: int,
    basis: str = "receipt",
    zone: tzinfo,
    accounts: tuple[str, ...] = (),
    prices_file: Path | None = None,
    currency: str = "USD",
) -> TaxExport:
    """Write one tax file; an empty year writes the header alone."""
    if format_name not in FORMATS:
        raise ExportError(f"unknown format {format_name!r} (one of {', '.join(FORMATS)})")
    events = income_events(warehouse, basis, year, zone, accounts)
    priced = price_events(events, zone, prices_file, currency.upper())
    write_text_atomic(output, render_csv(format_name, priced))
    return TaxExport(output, len(priced), totals_by_coin(events))
