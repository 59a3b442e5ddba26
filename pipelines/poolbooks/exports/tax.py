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
from poolbooks.exports.income import IncomeEvent, income_events, priced_coins
from poolbooks.exports.money import coins
from poolbooks.exports.names import FORMATS
from poolbooks.exports.output import write_text_atomic
from poolbooks.exports.valuation import Priced, value_events

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
class TaxExport:
    """A file written: where, how many rows, and the amount per coin (never summed across)."""

    path: Path
    rows: int
    totals_sat: dict[str, int]
    note: str | None = None  # why values are empty, and how to get them


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
    currency: str | None = None,
) -> TaxExport:
    """Write one tax file, valued from `prices_file` when given, else from the warehouse (in
    its currency, which `currency` must then name if given); an empty year writes the header
    alone."""
    if format_name not in FORMATS:
        raise ExportError(f"unknown format {format_name!r} (one of {', '.join(FORMATS)})")
    events = income_events(warehouse, basis, year, zone, accounts)
    valuation = value_events(
        events,
        zone,
        prices_file=prices_file,
        currency=currency,
        priced_coins=priced_coins(warehouse) if prices_file is None else frozenset(),
    )
    write_text_atomic(output, render_csv(format_name, valuation.rows))
    return TaxExport(output, len(valuation.rows), totals_by_coin(events), valuation.note)
