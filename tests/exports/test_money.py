"""Exact money: the prices file read strictly, every problem one line naming file and line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from poolbooks.exports.errors import ExportError
from poolbooks.exports.money import read_prices


def prices_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prices.csv"
    path.write_text(text)
    return path


def test_prices_are_read_exactly_and_a_repeated_equal_price_is_one(tmp_path: Path) -> None:
    path = prices_file(tmp_path, "date,price\n2025-01-01,93000.50\n2025-01-01,93000.5\n")
    assert read_prices(path) == {date(2025, 1, 1): Decimal("93000.50")}


def test_two_different_prices_for_one_date_name_the_date_and_both_lines(tmp_path: Path) -> None:
    path = prices_file(
        tmp_path, "date,price\n2025-01-01,93000\n2025-01-02,94000\n2025-01-01,93500\n"
    )
    with pytest.raises(ExportError) as info:
        read_prices(path)
    assert str(info.value) == (
        f"--prices: {path} line 4: date 2025-01-01: a second price, 93500 (line 2 has 93000); "
        "keep one"
    )


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2025-01-01", "date 2025-01-01: no price"),
        ("2025-01-01,", "date 2025-01-01: no price"),
        ("2025-01-01,  ", "date 2025-01-01: no price"),
        (",93000", "no date"),
        ("1/1/2025,93000", "date '1/1/2025' is not a date (YYYY-MM-DD)"),
        ("2025-01-01,abc", "date 2025-01-01: price 'abc' is not a number"),
        ("2025-01-01,-1", "date 2025-01-01: price -1 is not above zero"),
        # a receipt valued at 0 is a wrong price, not a free coin
        ("2025-01-01,0", "date 2025-01-01: price 0 is not above zero"),
    ],
)
def test_a_bad_row_names_its_line_and_what_is_wrong(tmp_path: Path, row: str, problem: str) -> None:
    path = prices_file(tmp_path, f"date,price\n2025-01-02,1\n{row}\n")
    with pytest.raises(ExportError) as info:
        read_prices(path)
    assert str(info.value) == f"--prices: {path} line 3: {problem}"
    assert "None" not in str(info.value)
