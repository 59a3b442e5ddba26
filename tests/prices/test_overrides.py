"""Override files: exact prices by date, and one clear line naming the file and the date for
every way a row can be wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from poolbooks.errors import UserInputError
from poolbooks.prices.overrides import OverrideFileError, read_override_file


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bch-usd.csv"
    path.write_text(text)
    return path


def test_rows_become_exact_prices_in_any_order(tmp_path: Path) -> None:
    path = write(tmp_path, "date,price\n2017-09-02,600.1234567891\n\n2017-09-01, 612.5\n")
    assert read_override_file("BCH", path) == {
        date(2017, 9, 1): Decimal("612.5"),
        date(2017, 9, 2): Decimal("600.1234567891"),
    }


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ("2017-09-01,0\n", "line 2: date 2017-09-01: price 0 is not above zero"),
        ("2017-09-01,-3\n", "line 2: date 2017-09-01: price -3 is not above zero"),
        ("2017-09-01,\n", "line 2: date 2017-09-01: no price"),
        ("2017-09-01,abc\n", "line 2: date 2017-09-01: price 'abc' is not a number"),
        ("2017-09-01,1\n2017-09-01,2\n", "line 3: date 2017-09-01: a second price, 2 (line 2"),
        ("2017-09-01,1\n2017-09-31,2\n", "line 3: date '2017-09-31' is not a date (YYYY-MM-DD)"),
        ("1/9/2017,1\n", "line 2: date '1/9/2017' is not a date"),
        ("2017-09-01,0.00000000001\n", "line 2: date 2017-09-01: price 0.00000000001 does not"),
    ],
)
def test_a_bad_row_is_one_config_error_naming_the_file_and_the_date(
    tmp_path: Path, rows: str, says: str
) -> None:
    path = write(tmp_path, "date,price\n" + rows)
    with pytest.raises(OverrideFileError) as caught:
        read_override_file("BCH", path)
    message = str(caught.value)
    assert isinstance(caught.value, UserInputError)  # exit 2
    assert message.startswith(f"config error: [prices] overrides.BCH: {path} line ")
    assert says in message
    assert "\n" not in message


def test_a_missing_file_or_header_is_named(tmp_path: Path) -> None:
    with pytest.raises(OverrideFileError, match="cannot read it"):
        read_override_file("BTC", tmp_path / "nowhere.csv")
    with pytest.raises(OverrideFileError, match="header with the columns date,price"):
        read_override_file("BTC", write(tmp_path, "day,close\n2017-09-01,1\n"))
