"""Exports valued from the warehouse's prices (no `--prices`), from a hand-written lake whose
amounts and prices, and every value expected of them, are all written here."""

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
from tests.warehouse.handlake import Day, HandLake, Price

BEAN_CHECK = str(Path(sys.executable).with_name("bean-check"))
SPLIT_AT = datetime(2025, 3, 2, 10, tzinfo=UTC)
# BTC closes by UTC day: the earning days, and the days the payouts were made
BTC = {
    date(2025, 2, 27): "40000",
    date(2025, 2, 28): "40100.5",
    date(2025, 3, 1): "41000",
    date(2025, 3, 2): "43210.12",
    date(2025, 6, 15): "65000",
    date(2025, 6, 16): "93000.505",
    date(2025, 12, 30): "42000.01",
    date(2025, 12, 31): "43210.12",
}
BCH = {date(2025, 3, 1): "290", date(2025, 3, 2): "300.10"}


def observe(lake: HandLake) -> None:
    """main (BTC): a payout of three rows, one of a whole coin, one late in the year; bch: 7
    sat."""
    paid = {"t-half": datetime(2025, 6, 16, 1, 45, 37, tzinfo=UTC)}
    paid["t-down"] = datetime(2025, 12, 31, 8, tzinfo=UTC)
    lake.observe(
        "main",
        [
            Day(day, sat, paid=sat, tx=tx, paid_at=paid.get(tx, SPLIT_AT), address="3Pay")
            for day, sat, tx in [
                (date(2025, 2, 27), 1_234_560, "t-split"),
                (date(2025, 2, 28), 1_234_571, "t-split"),
                (date(2025, 3, 1), 1_234_583, "t-split"),
                (date(2025, 6, 15), 100_000_000, "t-half"),
                (date(2025, 12, 30), 12_345_678, "t-down"),
            ]
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


def valued_lake(
    folder: Path, currency: str = "USD", skip: date | None = None, currency_table: bool = False
) -> tuple[HandLake, Path]:
    lake = HandLake(folder, price_currency=currency if currency_table else None)
    observe(lake)
    lake.prices(
        [Price(d, c, currency=currency) for d, c in BTC.items() if d != skip]
        + [Price(d, c, coin="BCH", currency=currency) for d, c in BCH.items()]
    )
    assert lake.build().failed_tests == []
    config = config_file(lake)
    if currency_table:
        config.write_text(config.read_text() + f'\n[prices]\ncurrency = "{currency}"\n')
    return lake, config


@pytest.fixture
def books(tmp_path: Path) -> tuple[HandLake, Path]:
    return valued_lake(tmp_path)


def run(config: Path, out: Path, *args: str) -> Result:
    return CliRunner().invoke(
        app, ["export", *args, "--config", str(config), "--output", str(out), "--year", "2025"]
    )


def rows(out: Path, *columns: str) -> list[tuple[str, ...]]:
    with out.open() as handle:
        return [tuple(row[c] for c in columns) for row in csv.DictReader(handle)]


def test_receipts_take_price_and_value_from_the_warehouse(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    out = tmp_path / "generic.csv"
    result = run(books[1], out, "tax", "--format", "generic")
    assert result.exit_code == 0, result.output
    assert "note" not in result.stderr  # the values are there (the year's partial: warned)
    assert rows(out, "coin", "amount", "price", "value", "currency", "payment_tx") == [
        ("BCH", "0.00000007", "300.10", "0.00", "USD", "tb"),
        # 1,234,560 + 1,234,571 + 1,234,583 sat at 43,210.12: 1600.3792638568, one rounding
        ("BTC", "0.03703714", "43210.12", "1600.38", "USD", "t-split"),
        ("BTC", "1.00000000", "93000.505", "93000.51", "USD", "t-half"),  # half a cent: up
        ("BTC", "0.12345678", "43210.12", "5334.58", "USD", "t-down"),  # 5334.5822786136
    ]


def test_accrual_rows_take_each_days_value(books: tuple[HandLake, Path], tmp_path: Path) -> None:
    out = tmp_path / "accrual.csv"
    args = ["tax", "--format", "generic", "--basis", "accrual", "--account", "main"]
    result = run(books[1], out, *args)
    assert result.exit_code == 0, result.output
    assert rows(out, "timestamp_utc", "amount_sat", "price", "value", "currency") == [
        ("2025-02-27T00:00:00Z", "1234560", "40000.00", "493.82", "USD"),  # 493.824
        ("2025-02-28T00:00:00Z", "1234571", "40100.50", "495.07", "USD"),  # 495.069143855
        ("2025-03-01T00:00:00Z", "1234583", "41000.00", "506.18", "USD"),  # 506.17903
        ("2025-06-15T00:00:00Z", "100000000", "65000.00", "65000.00", "USD"),
        ("2025-12-30T00:00:00Z", "12345678", "42000.01", "5185.19", "USD"),  # 5185.1859945678
    ]


def test_koinly_net_worth_is_the_warehouse_value(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    out = tmp_path / "koinly.csv"
    result = run(books[1], out, "tax", "--format", "koinly", "--account", "main")
    assert result.exit_code == 0, result.output
    assert rows(out, "Received Amount", "Net Worth Amount", "Net Worth Currency", "TxHash") == [
        ("0.03703714", "1600.38", "USD", "t-split"),
        ("1.00000000", "93000.51", "USD", "t-half"),
        ("0.12345678", "5334.58", "USD", "t-down"),
    ]


def test_a_prices_file_still_overrides_the_warehouse(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    prices = tmp_path / "prices.csv"
    prices.write_text("date,price\n2025-03-02,50000\n2025-06-16,60000.125\n2025-12-31,1\n")
    out = tmp_path / "file.csv"
    args = ["tax", "--format", "generic", "--account", "main", "--prices", str(prices)]
    result = run(books[1], out, *args, "--currency", "eur")
    assert result.exit_code == 0, result.output
    assert rows(out, "price", "value", "currency") == [
        ("50000", "1851.86", "EUR"),  # 0.03703714 x 50000 = 1851.857
        ("60000.125", "60000.13", "EUR"),
        ("1", "0.12", "EUR"),
    ]


@pytest.mark.parametrize("command", [["tax", "--format", "koinly"], ["ledger"]])
def test_a_day_without_a_price_in_the_warehouse_exits_2_naming_it(
    tmp_path: Path, command: list[str]
) -> None:
    _, config = valued_lake(tmp_path, skip=date(2025, 6, 16))
    out = tmp_path / "out"
    result = run(config, out, *command)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no BTC price for 2025-06-16 in the warehouse (USD): fetch prices with "
        "`poolbooks prices`, then `poolbooks build`; or give the day in a [prices] overrides "
        "file; or value the export with --prices FILE\n"
    )
    assert not out.exists()


def test_a_price_not_final_yet_is_no_price(tmp_path: Path) -> None:
    lake, config = valued_lake(tmp_path, skip=date(2025, 12, 31))
    lake.prices([Price(date(2025, 12, 31), "43000", final=False)])
    assert lake.build().failed_tests == []
    result = run(config, tmp_path / "x.csv", "tax", "--format", "generic")
    assert result.exit_code == 2
    assert "error: no BTC price for 2025-12-31 in the warehouse (USD)" in result.stderr


def test_a_currency_other_than_the_warehouses_exits_2_naming_both(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    out = tmp_path / "eur.csv"
    result = run(books[1], out, "tax", "--format", "generic", "--currency", "EUR")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --currency EUR: the warehouse values in USD ([prices] currency); leave "
        "--currency out, or give --prices FILE with prices in EUR\n"
    )
    assert not out.exists()
    assert run(books[1], out, "tax", "--format", "generic", "--currency", "usd").exit_code == 0


def test_values_in_the_configured_currency(tmp_path: Path) -> None:
    _, config = valued_lake(tmp_path, currency="EUR", currency_table=True)
    out = tmp_path / "koinly.csv"
    result = run(config, out, "tax", "--format", "koinly", "--account", "bch")
    assert result.exit_code == 0, result.output
    assert rows(out, "Net Worth Amount", "Net Worth Currency") == [("0.00", "EUR")]
    ledger = tmp_path / "eur.beancount"
    assert run(config, ledger, "ledger", "--account", "main").exit_code == 0
    text = ledger.read_text()
    assert "  Income:Mining:Main  -1600.38 EUR" in text
    assert "2025-03-02 price BTC 43210.12 EUR" in text
    check = subprocess.run([BEAN_CHECK, str(ledger)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_warehouse_without_prices_writes_empty_values_with_a_note(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    observe(lake)
    assert lake.build().failed_tests == []
    out = tmp_path / "generic.csv"
    result = run(config_file(lake), out, "tax", "--format", "generic", "--account", "main")
    assert result.exit_code == 0, result.output
    assert set(rows(out, "price", "value", "currency")) == {("", "", "")}
    assert result.stderr.splitlines()[0] == (
        "note: values are empty: the warehouse has no BTC prices; fetch them with "
        "`poolbooks prices` (then `poolbooks build`), or give --prices FILE"
    )


LEDGER = """\
; poolbooks: mining income of 2025, receipt basis (one transaction per payout).
; Income accounts are pool sub-accounts; asset accounts are payout addresses.
; Each payout is held at cost, the close of its UTC day in USD; its income
; is its value to the cent, and what rounding added or left (under half a cent)
; is booked to Income:Mining:Rounding.
option "title" "Mining income 2025"
option "operating_currency" "USD"

2009-01-03 commodity BCH
2009-01-03 commodity BTC

2025-03-02 open Income:Mining:Bch USD
2025-03-02 open Assets:Mining:BCH:Addr-bitcoincash-qx BCH "FIFO"
2025-03-02 open Income:Mining:Rounding USD
2025-03-02 open Income:Mining:Main USD
2025-03-02 open Assets:Mining:BTC:Addr-3Pay BTC "FIFO"

2025-03-02 price BCH 300.10 USD
2025-03-02 price BTC 43210.12 USD
2025-06-16 price BTC 93000.505 USD
2025-12-31 price BTC 43210.12 USD

2025-03-02 * "BTC.com pool" "bch payout for 1 day"
  payment_tx: "tb"
  amount_sat: 7
  Assets:Mining:BCH:Addr-bitcoincash-qx  0.00000007 BCH {300.10 USD}
  Income:Mining:Bch  0.00 USD
  Income:Mining:Rounding  -0.000021007 USD

2025-03-02 * "BTC.com pool" "main payout for 3 days"
  payment_tx: "t-split"
  amount_sat: 3703714
  Assets:Mining:BTC:Addr-3Pay  0.03703714 BTC {43210.12 USD}
  Income:Mining:Main  -1600.38 USD
  Income:Mining:Rounding  0.0007361432 USD

2025-06-16 * "BTC.com pool" "main payout for 1 day"
  payment_tx: "t-half"
  amount_sat: 100000000
  Assets:Mining:BTC:Addr-3Pay  1.00000000 BTC {93000.505 USD}
  Income:Mining:Main  -93000.51 USD
  Income:Mining:Rounding  0.005 USD

2025-12-31 * "BTC.com pool" "main payout for 1 day"
  payment_tx: "t-down"
  amount_sat: 12345678
  Assets:Mining:BTC:Addr-3Pay  0.12345678 BTC {43210.12 USD}
  Income:Mining:Main  -5334.58 USD
  Income:Mining:Rounding  -0.0022786136 USD
"""


def test_the_ledger_books_each_payout_at_cost_and_bean_check_accepts_it(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    out = tmp_path / "mining.beancount"
    result = run(books[1], out, "ledger")
    assert result.exit_code == 0, result.output
    assert out.read_text() == LEDGER
    check = subprocess.run([BEAN_CHECK, str(out)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    from beancount import loader
    from beancount.core import interpolate
    from beancount.core.data import Price as PriceEntry
    from beancount.core.data import Transaction

    entries, errors, _ = loader.load_file(str(out))
    assert errors == []
    payouts = [e for e in entries if isinstance(e, Transaction)]
    # each balances exactly, not within Beancount's tolerance: the rounding is booked
    residuals = [interpolate.compute_residual(e.postings) for e in payouts]  # type: ignore[no-untyped-call]
    assert [residual.is_empty() for residual in residuals] == [True] * 4
    assert len([e for e in entries if isinstance(e, PriceEntry)]) == 4


def test_a_warehouse_built_before_values_asks_for_a_build(
    books: tuple[HandLake, Path], tmp_path: Path
) -> None:
    import duckdb

    lake, config = books
    with duckdb.connect(str(lake.config.warehouse)) as con:
        con.execute("alter table payouts drop column paid_value")
    result = run(config, tmp_path / "x.csv", "tax", "--format", "generic")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: the warehouse at {lake.config.warehouse} predates values (no price columns): "
        "run `poolbooks build` again\n"
    )
