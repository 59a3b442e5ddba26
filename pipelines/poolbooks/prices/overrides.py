"""The user's override files: a `date,price` CSV per coin whose rows win over the source."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from poolbooks.errors import UserInputError
from poolbooks.prices.candles import LAKE_TYPE, exact_for_lake

WHERE = "[prices] overrides"


class OverrideFileError(UserInputError):
    """An override file that cannot be read as prices: one line naming the file and the date
    (or line) at fault; a config error (exit 2)."""

    def __init__(self, coin: str, path: Path, problem: str) -> None:
        super().__init__(f"config error: {WHERE}.{coin}: {path}: {problem}")


def read_override_files(files: Mapping[str, Path]) -> dict[str, dict[date, Decimal]]:
    """Every coin's override file (`[prices] overrides`), read whole: the first bad row stops."""
    return {coin: read_override_file(coin, path) for coin, path in sorted(files.items())}


def read_override_file(coin: str, path: Path) -> dict[date, Decimal]:
    """Each date's price (of one coin, in the configured currency: the day's close). A price
    that is empty, not a number or not above zero, a date that is not YYYY-MM-DD and a date
    given twice are errors. Dates may come in any order; gaps are the source's to fill."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise OverrideFileError(coin, path, f"cannot read it: {reason}") from None
    rows = csv.reader(text.splitlines())
    if [name.strip() for name in next(rows, [])] != ["date", "price"]:
        raise OverrideFileError(coin, path, "the first line must be the header date,price")
    prices: dict[date, Decimal] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        day = _date(coin, path, line, row[0])
        prices[day] = _price(coin, path, line, day, row[1] if len(row) > 1 else "", prices)
    return prices


def _date(coin: str, path: Path, line: int, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise OverrideFileError(
            coin, path, f"line {line}: date {text.strip()!r} is not a date (YYYY-MM-DD)"
        ) from None


def _price(
    coin: str, path: Path, line: int, day: date, text: str, seen: dict[date, Decimal]
) -> Decimal:
    if day in seen:
        raise OverrideFileError(coin, path, f"line {line}: date {day} is given twice")
    try:
        price = Decimal(text.strip())
    except InvalidOperation:
        what = "empty" if not text.strip() else f"{text.strip()!r}, not a number"
        raise OverrideFileError(coin, path, f"line {line}: date {day}: price {what}") from None
    if not price.is_finite() or price <= 0:
        raise OverrideFileError(
            coin, path, f"line {line}: date {day}: price {text.strip()} is not above zero"
        )
    fitted = exact_for_lake(price)
    if fitted is None:
        raise OverrideFileError(
            coin, path, f"line {line}: date {day}: price {text.strip()} does not fit {LAKE_TYPE}"
        )
    return fitted
