"""One reader for every price file: the override files and `export tax --prices` take the same
files and refuse the same ones, with the same words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from poolbooks.exports.errors import ExportError
from poolbooks.exports.money import read_prices
from poolbooks.prices.overrides import OverrideFileError, read_override_file

FILES = {
    "plain": "date,price\n2025-01-01,93000.50\n",
    "a byte-order mark, other columns, another order": (
        "\ufeffsource,price,date\nmanual,93000.50,2025-01-01\n"
    ),
    "blank lines and a repeated equal price": (
        "date,price\n\n2025-01-01,93000.5\n2025-01-01,93000.50\n\n"
    ),
}
BAD = {
    "no header": ("2025-01-01,93000\n", "the first line must be a header"),
    "a zero price": ("date,price\n2025-01-01,0\n", "line 2: date 2025-01-01: price 0 is not"),
    "two prices": (
        "date,price\n2025-01-01,1\n2025-01-01,2\n",
        "line 3: date 2025-01-01: a second price, 2 (line 2 has 1); keep one",
    ),
    "eleven places": ("date,price\n2025-01-01,1.00000000001\n", "does not fit DECIMAL(38,10)"),
    "a date in another order": ("date,price\n01/02/2025,1\n", "is not a date (YYYY-MM-DD)"),
}


@pytest.mark.parametrize("text", FILES.values(), ids=list(FILES))
def test_both_readers_take_the_same_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(text, encoding="utf-8")
    expected = {date(2025, 1, 1): Decimal("93000.50")}
    assert read_prices(path) == read_override_file("BTC", path) == expected


@pytest.mark.parametrize(("text", "says"), BAD.values(), ids=list(BAD))
def test_both_readers_refuse_the_same_file_in_the_same_words(
    tmp_path: Path, text: str, says: str
) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExportError) as export:
        read_prices(path)
    with pytest.raises(OverrideFileError) as override:
        read_override_file("BTC", path)
    assert str(export.value).removeprefix("--prices: ") == str(override.value).removeprefix(
        "config error: [prices] overrides.BTC: "
    )
    assert says in str(export.value) and str(path) in str(export.value)
