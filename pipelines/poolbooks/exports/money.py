"""Exact money at the edge: satoshi to 8-decimal coins, fiat values to the cent."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from poolbooks.exports.errors import ExportError
from poolbooks.prices.price_file import PriceFileProblem, read_price_file

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
    """`--prices`: a `date,price` CSV (price of one coin), by the rules of every price file
    (`prices/price_file.py`); every problem is one line naming the file, line and date."""
    try:
        return read_price_file(path)
    except PriceFileProblem as problem:
        raise ExportError(f"--prices: {problem.at(path)}") from None
