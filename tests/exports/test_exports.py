"""Tax exports and the Beancount ledger from a hand-written history whose numbers are all here."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from poolbooks.cli import app
from tests.cli.test_warehouse_cli import config_file
from tests.warehouse.handlake import Day, HandLake

GOLDEN = Path(__file__).with_name("golden")
BEAN_CHECK = str(Path(sys.executable).with_name("bean-check"))
PRICES = "date,price\n2025-01-01,93000.505\n2025-06-16,65432.10\n"


@pytest.fixture
def books(tmp_path: Path) -> tuple[HandLake, Path]:
    """main (BTC): payouts on the last and first days of 2025 in UTC; bch: a 7-sat payout."""
    lake = HandLake(tmp_path)
    lake.observe(
        "main",
        [
            Day(
                date(2024, 12, 31),
                100_000_000,
                paid=100_000_000,
                tx="t2024",
                paid_at=datetime(2025, 1, 1, 0, 30, tzinfo=UTC),
                address="3Pay",
            ),
            Day(
                date(2025, 6, 15),
                1_380_002_903,
                paid=1_380_002_903,
                tx="t0615",
                paid_at=datetime(2025, 6, 16, 1, 45, 37, tzinfo=UTC),
                address="3Pay",
            ),
            Day(
                date(2025, 12, 31),
                12_345_678,
                paid=12_345_678,
                tx="t1231",
                paid_at=datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC),
                address="3Pay",
            ),
        ],
    )
    lake.observe(
        "bch",
        [
            Day(
                date(2025, 3, 1),
                7,
                paid=7,
                tx="tb",
                paid_at=datetime(2025, 3, 2, 2, tzinfo=UTC),
                address="bitcoincash:qx",
            )
        ],
        coin="BCH",
    )
    assert lake.build().published
    return lake, config_file(lake)


def export(config: Path, out: Path, *args: str) -> tuple[int, str, list[list[str]]]:
    result = CliRunner().invoke(
        app, ["export", "tax", "--config", str(config), "--output", str(out), *args]
    )
    rows = list(csv.reader(out.open())) if out.exists() else []
    return result.exit_code, result.output, rows


@pytest.mark.parametrize("format_name", ["generic", "koinly", "cointracker"])
def test_each_format_matches_its_golden_file(
    books: tuple[HandLake, Path], tmp_path: Path, format_name: str
) -> None:
    _, config = books
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES)
    out = tmp_path / f"{format_name}.csv"
    code, output, _ = export(
        config,
        out,
        "--format",
        format_name,
        "--year",
        "2025",
        "--account",
        "main",
        "--prices",
        str(prices),
    )
    assert code == 0, output
    assert out.read_text() == (GOLDEN / f"{format_name}.csv").read_text()
    assert f"wrote 2 {format_name} rows for 2025 (14.80002903 BTC) to {out}" in output


@pytest.mark.parametrize(
    ("format_name", "header", "first_date"),
    [
        ("generic", "timestamp_utc", "2025-01-01T00:30:00Z"),
        ("koinly", "Date", "2025-01-01 00:30 UTC"),
        ("cointracker", "Date", "01/01/2025 00:30:00"),
    ],
)
def test_headers_and_date_formats(
    books: tuple[HandLake, Path], tmp_path: Path, format_name: str, header: str, first_date: str
) -> None:
    out = tmp_path / "out.csv"
    code, _, rows = export(books[1], out, "--format", format_name, "--year", "2025")
    assert code == 0
    assert rows[0][0] == header and rows[1][0] == first_date
    labels = {"koinly": ("Label", "mining"), "cointracker": ("Tag", "mined")}
    if format_name in labels:
        column, value = labels[format_name]
        assert {row[rows[0].index(column)] for row in rows[1:]} == {value}


def test_every_account_without_prices_leaves_values_empty(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    out = tmp_path / "all.csv"
    code, _, rows = export(books[1], out, "--format", "generic", "--year", "2025")
    assert code == 0
    assert [(r[1], r[4], r[6], r[7], r[8]) for r in rows[1:]] == [
        ("main", "1.00000000", "", "", ""),
        ("bch", "0.00000007", "", "", ""),
        ("main", "13.80002903", "", "", ""),
    ]


def test_the_year_is_the_rows_date_in_the_chosen_zone(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    out = tmp_path / "ny.csv"
    code, _, rows = export(
        books[1],
        out,
        "--format",
        "generic",
        "--year",
        "2025",
        "--account",
        "main",
        "--timezone",
        "America/New_York",
    )
    assert code == 0
    assert [(r[0], r[10]) for r in rows[1:]] == [
        ("2025-06-16T01:45:37Z", "t0615"),
        ("2026-01-01T00:00:01Z", "t1231"),  # 19:00:01 on 31 December in New York
    ]


def test_accrual_basis_is_one_row_per_earning_day_at_midnight_utc(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    out = tmp_path / "accrual.csv"
    code, _, rows = export(
        books[1],
        out,
        "--format",
        "generic",
        "--year",
        "2025",
        "--basis",
        "accrual",
        "--account",
        "main",
    )
    assert code == 0
    assert [(r[0], r[4], r[5], r[9], r[10]) for r in rows[1:]] == [
        ("2025-06-15T00:00:00Z", "13.80002903", "1380002903", "accrual", ""),
        ("2025-12-31T00:00:00Z", "0.12345678", "12345678", "accrual", ""),
    ]


@pytest.mark.parametrize("format_name", ["generic", "koinly", "cointracker"])
def test_a_missing_price_exits_2_naming_the_first_missing_date(
    books: tuple[HandLake, Path], tmp_path: Path, format_name: str
) -> None:
    prices = tmp_path / "prices.csv"
    prices.write_text("date,price\n2025-07-01,94000\n")  # neither 2025-06-14 nor 2025-12-30
    out = tmp_path / "x.csv"
    code, output, _ = export(
        books[1],
        out,
        "--format",
        format_name,
        "--year",
        "2025",
        "--basis",
        "accrual",
        "--account",
        "main",
        "--timezone",
        "America/New_York",
        "--prices",
        str(prices),
    )
    assert code == 2
    assert f"--prices: no price for 2025-06-14 in {prices}" in output
    assert "2025-12-30" not in output
    assert not out.exists()


@pytest.mark.parametrize(
    ("format_name", "column"), [("generic", "currency"), ("koinly", "Net Worth Currency")]
)
def test_currency_names_the_prices_currency(
    books: tuple[HandLake, Path], tmp_path: Path, format_name: str, column: str
) -> None:
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES)
    out = tmp_path / "eur.csv"
    args = ["--format", format_name, "--year", "2025", "--account", "main"]
    code, output, rows = export(books[1], out, *args, "--prices", str(prices), "--currency", "EUR")
    assert code == 0, output
    header, *body = rows
    assert [row[header.index(column)] for row in body] == ["EUR", "EUR"]


def test_a_payout_with_no_payment_time_is_dated_the_day_after_its_last_earning_day(
    tmp_path: Path,
) -> None:
    lake = HandLake(tmp_path)
    lake.observe(
        "main",
        [
            Day(date(2025, 12, 30), 500, paid=1000, tx="t-late"),
            Day(date(2025, 12, 31), 500, paid=0, tx=None),
        ],
    )
    lake.observe("main", [Day(date(2025, 12, 31), 500, paid=0)])
    assert lake.build().published
    out = tmp_path / "generic.csv"
    code, output, rows = export(config_file(lake), out, "--format", "generic", "--year", "2025")
    assert code == 0, output
    assert [row[0] for row in rows[1:]] == ["2025-12-31T00:00:00Z"]


def test_prices_for_one_coin_refuse_an_export_of_two(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES + "2025-03-02,300\n")
    code, output, _ = export(
        books[1],
        tmp_path / "x.csv",
        "--format",
        "generic",
        "--year",
        "2025",
        "--prices",
        str(prices),
    )
    assert code == 2 and "one coin's prices but the export has BCH, BTC" in output


@pytest.mark.parametrize("command", [["tax", "--format", "generic"], ["ledger"]])
def test_totals_are_per_coin_never_summed_across_coins(
    books: tuple[HandLake, Path], tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "both"
    args = ["export", *command, "--config", str(books[1]), "--output", str(out), "--year", "2025"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "(0.00000007 BCH, 14.80002903 BTC)" in result.output
    assert "1,480,002,910" not in result.output and "14.8000291" not in result.output
    assert result.stdout.count("\n") == 1  # one line, even at 80 columns
    assert result.stderr.startswith("note: values are empty") and result.stderr.count("\n") == 1


def test_an_empty_year_writes_the_header_and_says_so(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    out = tmp_path / "empty.csv"
    code, output, rows = export(books[1], out, "--format", "cointracker", "--year", "2019")
    assert code == 0 and len(rows) == 1
    assert "no income in 2019: wrote the header only" in output


EXPORTS = [["tax", "--format", "generic"], ["ledger"]]


def export_year(config: Path, out: Path, command: list[str], *args: str) -> Result:
    args = ("export", *command, "--config", str(config), "--output", str(out), *args)
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80"})


@pytest.mark.parametrize("command", EXPORTS)
def test_a_year_with_no_data_says_which_years_have_some(
    books: tuple[HandLake, Path], tmp_path: Path, command: list[str]
) -> None:
    result = export_year(books[1], tmp_path / "out", command, "--year", "2019")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: the warehouse has no day of 2019: it holds days from 2024-12-31 to "
        "2025-12-31 (years 2024 to 2025)"
    ]


@pytest.mark.parametrize("command", EXPORTS)
@pytest.mark.parametrize(
    ("year", "accounts", "warning"),
    [
        (
            "2024",
            [],
            "warning: 2024 is only partly in the warehouse, from 2024-12-31 to 2024-12-31; "
            "it holds days from 2024-12-31 to 2025-12-31",
        ),
        (
            "2025",
            ["--account", "bch"],
            "warning: 2025 is only partly in the warehouse, from 2025-03-01 to 2025-03-01; "
            "it holds days from 2025-03-01 to 2025-03-01",
        ),
        ("2025", [], None),
    ],
)
def test_a_year_only_partly_in_the_warehouse_is_warned(
    books: tuple[HandLake, Path],
    tmp_path: Path,
    command: list[str],
    year: str,
    accounts: list[str],
    warning: str | None,
) -> None:
    result = export_year(books[1], tmp_path / "out", command, "--year", year, *accounts)
    assert result.exit_code == 0, result.output
    # this warehouse has no prices: rows written with empty values are noted first
    coins = {"2024": None, "2025": "BCH" if accounts else "BCH or BTC"}[year]
    note = (
        f"note: values are empty: the warehouse has no {coins} prices; fetch them with "
        "`poolbooks prices` (then `poolbooks build`), or give --prices FILE"
    )
    assert result.stderr.splitlines() == [note] * bool(coins) + ([warning] if warning else [])


@pytest.mark.parametrize("command", EXPORTS)
def test_a_year_that_has_not_begun_is_a_usage_error(
    books: tuple[HandLake, Path], tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "out"
    year = datetime.now(UTC).year + 1
    result = export_year(books[1], out, command, "--year", str(year))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --year {year} has not begun (today is ")
    assert result.stderr.rstrip().endswith(
        "; the warehouse holds days from 2024-12-31 to 2025-12-31 (years 2024 to 2025)"
    )
    assert not out.exists()


def test_bad_format_and_bad_zone_are_usage_errors(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    out = tmp_path / "x.csv"
    assert export(books[1], out, "--format", "turbotax", "--year", "2025")[0] == 2
    code, output, _ = export(
        books[1], out, "--format", "generic", "--year", "2025", "--timezone", "Mars/Base"
    )
    assert code == 2 and "unknown time zone 'Mars/Base'" in output


def test_ledger_is_balanced_beancount(books: tuple[HandLake, Path], tmp_path: Path) -> None:
    out = tmp_path / "mining.beancount"
    result = CliRunner().invoke(
        app, ["export", "ledger", "--config", str(books[1]), "--year", "2025", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    check = subprocess.run([BEAN_CHECK, str(out)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    from beancount import loader
    from beancount.core.data import Transaction

    entries, errors, _ = loader.load_file(str(out))
    assert errors == []
    postings = [
        (p.account, str(p.units)) for e in entries if isinstance(e, Transaction) for p in e.postings
    ]
    assert postings == [
        ("Assets:Mining:BTC:Addr-3Pay", "1.00000000 BTC"),
        ("Income:Mining:Main", "-1.00000000 BTC"),
        ("Assets:Mining:BCH:Addr-bitcoincash-qx", "0.00000007 BCH"),
        ("Income:Mining:Bch", "-0.00000007 BCH"),
        ("Assets:Mining:BTC:Addr-3Pay", "13.80002903 BTC"),
        ("Income:Mining:Main", "-13.80002903 BTC"),
    ]


def test_two_prices_for_one_date_exit_2_naming_it(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES + "2025-06-16,65000\n")
    out = tmp_path / "x.csv"
    args = ["--format", "generic", "--year", "2025", "--account", "main", "--prices", str(prices)]
    code, output, _ = export(books[1], out, *args)
    assert code == 2
    assert "date 2025-06-16: a second price, 65000 (line 3 has 65432.10)" in output
    assert not out.exists()
