"""Exact money at the edge: satoshi to 8-decimal coins, fiat values to the cent."""

from __future__ import annotations

import csv
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from poolbooks.exports.errors import ExportError

SATOSHI = Decimal("0.00000001")
CENT = Decimal("0.01")


def coins(amount_sat: int) -> Decimal:
    """Satoshi as an exact coin amount with eight decimals (1380002903 -> 13.80002903)."""
    return (Decimal(amount_sat) * SATOSHI).quantize(SATOSHI)


def price_places(price: Decimal) -> Decimal:
    """A price with the places it needs, at least cents (43210.1200000000 -> 43210.12,
    40000 -> 40000.00, 430.0123456789 as it is)."""
    exponent = price.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return price.normalize()
    return price.quantize(CENT)


def fiat_value(amount_sat: int, price: Decimal) -> Decimal:
    """Amount times price, rounded to cents half away from zero."""
    return (coins(amount_sat) * price).quantize(CENT, rounding=ROUND_HALF_UP)


def read_prices(path: Path) -> dict[date, Decimal]:
    """A `date,price` CSV (price of one coin); every problem is one line naming row and field."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"--prices: cannot read {path}: {exc.strerror}") from None
    prices: dict[date, Decimal] = {}
    lines: dict[date, int] = {}  # where each date's price was read, to name a second one
    with handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"date", "price"} <= set(reader.fieldnames):
            raise ExportError(f"--prices: {path} needs a header with columns date,price")
        for line, row in enumerate(reader, start=2):
            where = f"--prices: {path} line {line}"
            day = _day(row.get("date"), where)
            price = _price(row.get("price"), day, where)
            if day in prices and prices[day] != price:
                raise ExportError(
                    f"{where}: a second price for {day}, {price} (line {lines[day]} has "
                    f"{prices[day]}); keep one"
                )
            prices[day], lines[day] = price, lines.get(day, line)
    return prices


def _day(text: str | None, where: str) -> date:
    if text is None or not text.strip():
        raise ExportError(f"{where}: no date")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ExportError(f"{where}: date {text!r} is not YYYY-MM-DD") from None


def _price(text: str | None, day: date, where: str) -> Decimal:
    if text is None or not text.strip():
        raise ExportError(f"{where}: no price for {day}")
    try:
        price = Decimal(text.strip())
    except InvalidOperation:
        raise ExportError(f"{where}: price {text!r} is not a number") from None
    if not price.is_finite() or price < 0:
        raise ExportError(f"{where}: price {text!r} is not a price")
    return price
