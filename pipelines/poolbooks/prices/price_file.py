"""A `date,price` CSV of one coin's price per day: the one reader of the `[prices] overrides`
files and of `poolbooks export tax --prices`, so both take and refuse the same files."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from poolbooks.prices.candles import LAKE_TYPE, exact_for_lake

COLUMNS = ("date", "price")


class PriceFileProblem(Exception):
    """What is wrong with a price file: `line` None for the file as a whole."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.problem, self.line = problem, line

    def at(self, path: Path) -> str:
        """`<path> line <n>: <problem>`, one line for the caller's error."""
        return (
            f"{path} line {self.line}: {self.problem}" if self.line else f"{path}: {self.problem}"
        )


def read_price_file(path: Path) -> dict[date, Decimal]:
    """Each date's price, exactly as written. UTF-8 (with or without a byte-order mark), a
    header naming the columns `date` and `price` (others are ignored), blank lines skipped,
    dates in any order. A date that is not YYYY-MM-DD, a price that is missing, not a number,
    not above zero or not exact in the lake's DECIMAL(38,10), and two different prices for
    one date are PriceFileProblems naming the line; a date written twice at one price is one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise PriceFileProblem(f"cannot read it: {reason}") from None
    rows = csv.reader(text.splitlines())
    header = [name.strip() for name in next(rows, [])]
    if not set(COLUMNS) <= set(header):
        raise PriceFileProblem("the first line must be a header with the columns date,price")
    at_date, at_price = header.index("date"), header.index("price")
    prices: dict[date, Decimal] = {}
    lines: dict[date, int] = {}  # where each date's price was read, to name a second one
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        day = _date(_cell(row, at_date), line)
        price = _price(_cell(row, at_price), day, line)
        if day in prices and prices[day] != price:
            raise PriceFileProblem(
                f"date {day}: a second price, {price} (line {lines[day]} has {prices[day]}); "
                "keep one",
                line,
            )
        prices.setdefault(day, price)
        lines.setdefault(day, line)
    return prices


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _date(text: str, line: int) -> date:
    if not text:
        raise PriceFileProblem("no date", line)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PriceFileProblem(f"date {text!r} is not a date (YYYY-MM-DD)", line) from None


def _price(text: str, day: date, line: int) -> Decimal:
    if not text:
        raise PriceFileProblem(f"date {day}: no price", line)
    try:
        price = Decimal(text)
    except InvalidOperation:
        raise PriceFileProblem(f"date {day}: price {text!r} is not a number", line) from None
    if not price.is_finite() or price <= 0:
        raise PriceFileProblem(f"date {day}: price {text} is not above zero", line)
    fitted = exact_for_lake(price)
    if fitted is None:
        raise PriceFileProblem(f"date {day}: price {text} does not fit {LAKE_TYPE}", line)
    return fitted
