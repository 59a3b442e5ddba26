"""The user's override files: a `date,price` CSV per coin whose rows win over the source."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from poolbooks.errors import UserInputError
from poolbooks.prices.price_file import PriceFileProblem, read_price_file

WHERE = "[prices] overrides"


class OverrideFileError(UserInputError):
    """An override file that cannot be read as prices: one line naming the file and the date
    (or line) at fault; a config error (exit 2)."""

    def __init__(self, coin: str, path: Path, problem: PriceFileProblem) -> None:
        super().__init__(f"config error: {WHERE}.{coin}: {problem.at(path)}")


def read_override_files(files: Mapping[str, Path]) -> dict[str, dict[date, Decimal]]:
    """Every coin's override file (`[prices] overrides`), read whole: the first bad row stops."""
    return {coin: read_override_file(coin, path) for coin, path in sorted(files.items())}


def read_override_file(coin: str, path: Path) -> dict[date, Decimal]:
    """Each date's price (of one coin, in the configured currency: the day's close), by the
    rules of every price file (`prices/price_file.py`). Gaps are the source's to fill."""
    try:
        return read_price_file(path)
    except PriceFileProblem as problem:
        raise OverrideFileError(coin, path, problem) from None
