"""What the report reads: settled days only, months marked partial, totals per coin."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from poolbooks.report.data import ReportData, read_report_data
from tests.report.lakes import COINS, LAST_SETTLED, earnings, settled_days, two_coin_lake
from tests.warehouse.handlake import Day, HandLake, days_from


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    lake = two_coin_lake(tmp_path_factory.mktemp("report-data"))
    return read_report_data(lake.config.warehouse)


def test_the_provisional_row_is_not_read(data: ReportData) -> None:
    assert data.last_date == LAST_SETTLED
    for frame in (data.days, data.difficulty, data.monthly, data.unpaid):
        assert max(frame["date" if "date" in frame.columns else "month"].to_list()) <= LAST_SETTLED
    assert data.days.group_by("account").len().sort("account").rows() == [
        ("bch", len(settled_days())),
        ("main", len(settled_days())),
    ]


def test_yearly_totals_are_per_coin(data: ReportData) -> None:
    rows = {(r["year"], r["coin"]): r for r in data.yearly.iter_rows(named=True)}
    assert set(rows) == {(2026, "BCH"), (2026, "BTC")}
    for account, coin in COINS.items():
        row = rows[(2026, coin)]
        assert row["earned_sat"] == sum(earnings(account, d) for d in settled_days())
        assert row["paid_sat"] == sum(earnings(account, d) for d in settled_days()[:49])
        assert (row["days"], row["first_date"], row["last_date"]) == (
            len(settled_days()),
            date(2026, 1, 1),
            LAST_SETTLED,
        )


def test_the_charted_accounts_are_ranked_within_each_coin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = HandLake(tmp_path)
    # in satoshi the BCH accounts dwarf the BTC ones; each coin still gets its biggest earner
    for name, coin, sat in (
        ("b1", "BTC", 10),
        ("b2", "BTC", 20),
        ("c1", "BCH", 900),
        ("c2", "BCH", 800),
    ):
        lake.observe(name, days_from(date(2026, 1, 1), [sat, sat]), coin=coin)
    lake.build()
    monkeypatch.setattr("poolbooks.report.data.MAX_ACCOUNTS_CHARTED", 2)
    data = read_report_data(lake.config.warehouse)
    assert data.accounts == ["b2", "c1"]


def test_a_month_its_settled_days_do_not_fill_is_partial(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    days = days_from(date(2026, 1, 20), [100] * 40)  # 01-20 .. 02-28
    lake.observe("main", [*days, Day(date(2026, 3, 1), 0)])  # seen on 03-01: provisional
    lake.build()
    monthly = read_report_data(lake.config.warehouse).monthly
    assert monthly.select("month", "days", "partial", "earnings_sat").rows() == [
        (date(2026, 1, 1), 12, True, 1200),
        (date(2026, 2, 1), 28, False, 2800),
    ]


def test_the_unpaid_balance_is_owed_at_each_days_end(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    paid_at = datetime(2026, 1, 3, 2, tzinfo=UTC)  # days 1 and 2, paid early on day 3
    days = [
        Day(date(2026, 1, 1), 100, paid=100, tx="aa", paid_at=paid_at),
        Day(date(2026, 1, 2), 110, paid=110, tx="aa", paid_at=paid_at),
        Day(date(2026, 1, 3), 120),
        Day(date(2026, 1, 4), 130),
    ]
    lake.observe("main", days)
    lake.build()
    unpaid = read_report_data(lake.config.warehouse).unpaid
    assert unpaid.select("date", "unpaid_sat").rows() == [
        (date(2026, 1, 1), 100),
        (date(2026, 1, 2), 210),
        (date(2026, 1, 3), 120),
        (date(2026, 1, 4), 250),
    ]
