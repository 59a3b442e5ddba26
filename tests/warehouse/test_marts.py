"""The marts from small hand-written histories: every expected number is written here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.warehouse.handlake import Day, HandLake, days_from

D = date(2026, 1, 1)


@pytest.fixture
def lake(tmp_path: Path) -> HandLake:
    return HandLake(tmp_path)


def test_the_seeds_own_row_implies_about_23_ph(lake: HandLake) -> None:
    tx = "466af581cbf52af00dc0273ced28c17e8b7a7c6a92a4ce0ae104af4ff0d557c0"
    lake.observe(
        "seed",
        [
            Day(date(2017, 2, 13), 0, diff=422170566884, rate=0),
            Day(
                date(2017, 2, 12),
                1380002903,
                paid=1380002903,
                tx=tx,
                paid_at=datetime(2017, 2, 13, 1, 45, 37, tzinfo=UTC),
                address="3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv ",
                diff=422170566884,
                rate=0.044,
            ),
        ],
    )
    assert lake.build().failed_tests == []
    (paid, empty) = lake.query(
        "select earnings_btc, payout_address, status, earnings_rate_pct from daily_earnings "
        "order by date"
    )
    assert paid == (Decimal("13.80002903"), "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv", "paid", 0.044)
    assert empty[2] == "empty"
    ((subsidy, implied),) = lake.query(
        "select subsidy_sat, implied_hashrate_hs from earnings_vs_difficulty "
        "where date = '2017-02-12'"
    )
    assert subsidy == 1_250_000_000
    expected = 1380002903 * 422170566884 * 2**32 / (86400 * 1_250_000_000)
    assert implied == pytest.approx(expected, rel=1e-12)
    assert round(implied / 1e15, 1) == 23.2  # PH/s


def test_running_sums_status_and_a_payout_covering_three_days(lake: HandLake) -> None:
    paid_at = datetime(2026, 1, 4, 2, tzinfo=UTC)
    days = [
        Day(D, 100, paid=100, tx="aa11", paid_at=paid_at, address="3Pay"),
        Day(date(2026, 1, 2), 200, paid=200, tx="aa11", paid_at=paid_at, address="3Pay"),
        Day(date(2026, 1, 3), 300, paid=300, tx="aa11", paid_at=paid_at, address=" 3Pay"),
        Day(date(2026, 1, 4), 400),
        Day(date(2026, 1, 5), 0),
    ]
    lake.observe("main", days)
    assert lake.build().failed_tests == []
    rows = lake.query(
        "select cumulative_earnings_sat, cumulative_paid_sat, unpaid_balance_sat, status "
        "from daily_earnings order by date"
    )
    assert rows == [
        (100, 100, 0, "paid"),
        (300, 300, 0, "paid"),
        (600, 600, 0, "paid"),
        (1000, 600, 400, "unpaid"),
        (1000, 600, 400, "empty"),
    ]
    # every column in order: the new ones at the end, unpriced (no prices in this lake) as NULL
    assert lake.query("select * from payouts") == [
        (
            *("main", "BTC", "aa11", paid_at, "3Pay", 600, 3, D, date(2026, 1, 3)),
            *(date(2026, 1, 4), "USD", None, None, None, None),
        )
    ]
    assert lake.query(
        "select earned_sat, paid_sat, computed_unpaid_sat from payout_reconciliation"
    ) == [(1000, 600, 400)]


def test_a_pool_that_puts_the_whole_payout_on_one_row(lake: HandLake) -> None:
    paid_at = datetime(2026, 1, 4, 2, tzinfo=UTC)
    lake.observe(
        "lump",
        [
            Day(D, 100, paid=0, tx="cc33", paid_at=paid_at),
            Day(date(2026, 1, 2), 200, paid=0, tx="cc33", paid_at=paid_at),
            Day(date(2026, 1, 3), 300, paid=600, tx="cc33", paid_at=paid_at),
        ],
    )
    assert lake.build().failed_tests == []
    assert lake.query("select paid_sat, earning_days from payouts") == [(600, 3)]
    assert lake.query("select distinct status from daily_earnings") == [("paid",)]
    assert lake.query("select count(*) from reconciliation_issues") == [(0,)]


def test_the_latest_observation_of_a_day_wins(lake: HandLake) -> None:
    lake.observe("main", [Day(D, 0)])
    lake.observe("main", [Day(D, 100), Day(date(2026, 1, 2), 0)])
    assert lake.build().failed_tests == []
    assert lake.query("select date, earnings_sat from daily_earnings order by date") == [
        (D, 100),
        (date(2026, 1, 2), 0),
    ]


def test_a_day_reported_at_difficulty_zero_builds_with_no_ratios(lake: HandLake) -> None:
    lake.observe("main", [Day(date(2024, 4, 18), 1000, diff=0.0), Day(date(2024, 4, 19), 900)])
    at = datetime(2024, 4, 18, 6, tzinfo=UTC)
    lake.snapshot("hashrate", "main", at=at, shares_15m_hs=1.0e15, shares_1d_hs=1.0e15)
    assert lake.build().failed_tests == []
    assert lake.query(
        "select implied_hashrate_hs, hashrate_hs, expected_pps_sat, efficiency "
        "from earnings_vs_difficulty where date = '2024-04-18'"
    ) == [(0.0, 1.0e15, None, None)]


def test_earnings_against_difficulty_subsidy_and_snapshots(lake: HandLake) -> None:
    start = date(2024, 4, 18)
    diffs = [8.0e13, None, 8.8e13, 8.8e13]
    days = [
        Day(date(2024, 4, 18 + i), e, diff=d, rate=1.5)
        for i, (e, d) in enumerate(zip([1000, 1100, 0, 500], diffs, strict=True))
    ]
    lake.observe("main", days)
    at = datetime(2024, 4, 21, 6, tzinfo=UTC)
    lake.snapshot("hashrate", "main", at=at, shares_15m_hs=1.0e15, shares_1d_hs=1.0e15)
    lake.snapshot("hashrate", "main", at=at.replace(hour=18), shares_15m_hs=3.0e15)
    assert lake.build().failed_tests == []
    rows = lake.query(
        "select date, difficulty_change_pct, earnings_change_pct, subsidy_sat, hashrate_hs, "
        "expected_pps_sat, efficiency, sat_per_th_day from earnings_vs_difficulty order by date"
    )
    assert [r[0] for r in rows] == [start, date(2024, 4, 19), date(2024, 4, 20), date(2024, 4, 21)]
    assert rows[0][1] is None and rows[1][1] is None  # no earlier day; no difficulty that day
    assert rows[2][1] == pytest.approx(10.0)  # against 04-18, the previous day with data
    assert rows[3][1] == pytest.approx(0.0)
    assert rows[1][2] == pytest.approx(10.0) and rows[3][2] is None  # 0 -> 500: no ratio
    assert [r[3] for r in rows] == [625_000_000, 625_000_000, 312_500_000, 312_500_000]
    expected_pps = 2.0e15 * 86400 * 312_500_000 / (8.8e13 * 2**32)
    assert rows[3][4] == pytest.approx(2.0e15)
    assert rows[3][5] == round(expected_pps)
    assert rows[3][6] == pytest.approx(500 / round(expected_pps))  # of the column as stored
    assert rows[3][7] == pytest.approx(500 / 2000)
    assert rows[0][4] is None and rows[0][5] is None and rows[0][6] is None


def test_bch_halved_on_2024_04_03(lake: HandLake) -> None:
    lake.observe("bch", days_from(date(2024, 4, 2), [10, 10]), coin="BCH")
    assert lake.build().failed_tests == []
    assert lake.query("select subsidy_sat from earnings_vs_difficulty order by date") == [
        (625_000_000,),
        (312_500_000,),
    ]


def test_hashrate_days_are_pool_zone_days(tmp_path: Path) -> None:
    lake = HandLake(tmp_path, timezone="Asia/Shanghai")
    lake.observe("main", [Day(D, 1)])
    at = datetime(2026, 1, 1, 15, tzinfo=UTC)  # 23:00 in Shanghai: still 1 January
    lake.snapshot("hashrate", "main", at=at, shares_15m_hs=2e15)
    lake.snapshot("hashrate", "main", at=at.replace(hour=17), shares_15m_hs=4e15)  # 2 January
    lake.snapshot("hashrate", "main", at=at.replace(hour=18), shares_15m_hs=6e15)
    lake.snapshot(
        "worker_stats", "main", at=at, workers_active=10, workers_inactive=2, workers_dead=1
    )
    later = datetime(2026, 1, 5, 3, tzinfo=UTC)  # worker stats alone: a day with no hashrate
    lake.snapshot("worker_stats", "main", at=later, workers_active=9)
    assert lake.build().failed_tests == []
    assert lake.query(
        "select date, snapshots, hashrate_mean_hs, hashrate_min_hs, hashrate_max_hs, "
        "workers_active_mean, workers_inactive_max, workers_dead_max "
        "from hashrate_daily order by date"
    ) == [
        (D, 1, 2e15, 2e15, 2e15, 10.0, 2, 1),
        (date(2026, 1, 2), 2, 5e15, 4e15, 6e15, None, None, None),
    ]


def test_money_columns_are_bigint_or_decimal(lake: HandLake) -> None:
    lake.observe("main", [Day(D, 1)])
    lake.build()
    types = dict(
        lake.query(
            "select table_name || '.' || column_name, data_type from information_schema.columns "
            "where column_name like '%sat' or column_name like '%btc'"
        )
    )
    assert types["daily_earnings.earnings_btc"] == "DECIMAL(18,8)"
    assert types["payout_reconciliation.unpaid_diff_sat"] == "BIGINT"
    assert types["earnings_vs_difficulty.expected_pps_sat"] == "BIGINT"
    assert {t for name, t in types.items() if not name.startswith("stg_")} <= {
        "BIGINT",
        "DECIMAL(18,8)",
    }
