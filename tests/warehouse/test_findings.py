"""Every reconciliation finding kind, found when it should be and not when it should not."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.warehouse.handlake import Day, HandLake

D1, D2, D3, D4, D5 = (date(2026, 1, d) for d in range(1, 6))
PAID_AT = datetime(2026, 1, 6, 2, tzinfo=UTC)


@pytest.fixture
def lake(tmp_path: Path) -> HandLake:
    return HandLake(tmp_path)


def findings(lake: HandLake) -> list[tuple[Any, ...]]:
    report = lake.build()
    assert report.failed_tests == [], report.failed_tests
    return lake.query(
        "select account, date, payment_tx, kind, expected_sat, actual_sat "
        "from reconciliation_issues order by account, date, kind"
    )


def paid(day: date, amount: int, tx: str = "t1", address: str | None = "3Good") -> Day:
    return Day(day, amount, paid=amount, tx=tx, paid_at=PAID_AT, address=address)


def test_a_clean_history_has_no_findings_and_status_ok(lake: HandLake) -> None:
    lake.observe("a", [paid(D1, 100), paid(D2, 200), Day(D3, 300), Day(D4, 0)])
    lake.snapshot("account_info", "a", address="3Good ")
    lake.snapshot("earn_stats", "a", unpaid_sat=350, earnings_today_sat=50, total_paid_sat=300)
    assert findings(lake) == []
    assert lake.query("select issue_count, status, unpaid_diff_sat from payout_reconciliation") == [
        (0, "ok", 0)
    ]


def test_paid_without_tx(lake: HandLake) -> None:
    lake.observe("a", [Day(D1, 100, paid=100, tx=None), paid(D2, 200)])
    assert findings(lake) == [("a", D1, None, "paid_without_tx", 100, None)]


def test_tx_without_amount_but_not_for_a_lump_payout(lake: HandLake) -> None:
    lake.observe("a", [Day(D1, 100, tx="zero", paid_at=PAID_AT)])
    lake.observe(
        "b",
        [
            Day(D1, 100, tx="lump", paid_at=PAID_AT),
            Day(D2, 100, paid=200, tx="lump", paid_at=PAID_AT),
        ],
    )
    assert findings(lake) == [("a", D1, "zero", "tx_without_amount", None, 0)]


def test_negative_balance_on_the_first_day_it_goes_negative(lake: HandLake) -> None:
    lake.observe(
        "a", [paid(D1, 100), Day(D2, 100, paid=250, tx="t2", paid_at=PAID_AT), Day(D3, 10)]
    )
    assert findings(lake) == [("a", D2, None, "negative_balance", 200, 350)]
    assert lake.query("select unpaid_balance_sat from daily_earnings order by date") == [
        (0,),
        (-150,),
        (-140,),
    ]


def test_address_mismatch_against_every_address_ever_reported(lake: HandLake) -> None:
    lake.observe(
        "a",
        [paid(D1, 100, "t1", "3Old"), paid(D2, 100, "t2", "3New"), paid(D3, 100, "t3", "3Evil")],
    )
    lake.snapshot("account_info", "a", address=" 3Old")
    lake.snapshot("account_info", "a", address="3New\n")
    lake.observe("unknown", [paid(D1, 100, "t9", "3Anything")])  # no account info: no judgement
    assert findings(lake) == [("a", D3, "t3", "address_mismatch", None, 100)]


def test_a_payout_whose_days_name_two_addresses_is_judged_per_address(lake: HandLake) -> None:
    # one payout (t1) over three days; its middle day names an address never reported
    lake.observe(
        "a", [paid(D1, 100, "t1", "3Old"), paid(D2, 70, "t1", "3Evil"), paid(D3, 30, "t1", "3Old")]
    )
    lake.snapshot("account_info", "a", address="3Old")
    assert findings(lake) == [("a", D2, "t1", "address_mismatch", None, 70)]


def test_payment_before_the_day_ended_in_the_pool_zone(tmp_path: Path) -> None:
    early = datetime(2026, 1, 2, 17, tzinfo=UTC)  # 17:00 UTC is 01:00 on 3 January in Shanghai
    for zone, expected in (("UTC", 1), ("Asia/Shanghai", 0)):
        lake = HandLake(tmp_path / zone.replace("/", "_"), timezone=zone)
        lake.observe("a", [Day(D2, 100, paid=100, tx="t1", paid_at=early), paid(D3, 100, "t2")])
        kinds = [row[3] for row in findings(lake)]
        assert kinds.count("payment_before_earning") == expected, zone


def test_history_changed_after_settling_or_paying_but_not_before(lake: HandLake) -> None:
    lake.observe("a", [Day(D1, 0)])  # provisional
    lake.observe("a", [Day(D1, 100), Day(D2, 0)])  # settled: not a change
    lake.observe("a", [paid(D1, 100, "t1"), Day(D2, 50)])  # paid: not a change
    lake.observe("a", [paid(D1, 100, "t1"), Day(D2, 50)])  # seen again: not a change
    assert findings(lake) == []
    lake.observe("a", [paid(D1, 100, "t1b"), Day(D2, 70)])  # tx replaced; earnings changed
    assert findings(lake) == [
        ("a", D1, "t1b", "history_changed", 100, 100),
        ("a", D2, None, "history_changed", 50, 70),
    ]
    (detail,) = lake.query("select detail from reconciliation_issues where date = ?", D1)
    assert detail == ("payment changed from 100 sat (tx t1) to 100 sat (tx t1b)",)


def test_a_provisional_estimate_settling_at_another_figure_is_not_a_change(
    tmp_path: Path,
) -> None:
    during_d1 = datetime(2026, 1, 1, 20, tzinfo=UTC)  # 04:00 on 2 January in Shanghai
    for zone, expected in (
        ("UTC", [("a", D1, None, "history_changed", 520, 530)]),
        (
            "Asia/Shanghai",
            [
                ("a", D1, None, "history_changed", 500, 520),
                ("a", D1, None, "history_changed", 520, 530),
            ],
        ),
    ):
        lake = HandLake(tmp_path / zone.replace("/", "_"), timezone=zone)
        lake.observe("a", [Day(D1, 500)], at=during_d1)  # the day's running estimate
        lake.observe("a", [Day(D1, 520)], at=datetime(2026, 1, 2, 9, tzinfo=UTC))  # settled
        lake.observe("a", [Day(D1, 530)], at=datetime(2026, 1, 3, 9, tzinfo=UTC))  # revised
        assert findings(lake) == expected, zone


def test_missing_days_one_finding_per_gap_day(lake: HandLake) -> None:
    lake.observe("a", [Day(D1, 1), Day(D2, 1), Day(D5, 1)])
    lake.observe("b", [Day(D1, 1), Day(D2, 1)])
    assert findings(lake) == [
        ("a", D3, None, "missing_days", None, None),
        ("a", D4, None, "missing_days", None, None),
    ]


def test_unpaid_and_total_paid_against_the_latest_earn_stats(lake: HandLake) -> None:
    lake.observe("a", [paid(D1, 600), Day(D2, 400)])
    at = datetime(2026, 1, 3, 8, tzinfo=UTC)
    lake.snapshot("earn_stats", "a", at=at, unpaid_sat=0, earnings_today_sat=0, total_paid_sat=0)
    lake.snapshot(
        "earn_stats",
        "a",
        at=at.replace(hour=9),
        unpaid_sat=999,
        earnings_today_sat=100,
        total_paid_sat=700,
    )
    assert findings(lake) == [
        ("a", D3, None, "total_paid_mismatch", 600, 700),
        ("a", D3, None, "unpaid_mismatch", 500, 999),
    ]
    assert lake.query(
        "select unpaid_diff_sat, total_paid_diff_sat, issue_count, status "
        "from payout_reconciliation"
    ) == [(499, 100, 2, "mismatch")]


def test_todays_estimate_in_the_history_is_not_counted_twice_against_earn_stats(
    lake: HandLake,
) -> None:
    during_d3 = datetime(2026, 1, 3, 15, tzinfo=UTC)
    # the pool shows its running estimate for today on today's row, and in earn-stats
    lake.observe("a", [paid(D1, 100), Day(D2, 300), Day(D3, 50)], at=during_d3)
    lake.snapshot(
        "earn_stats", "a", at=during_d3, unpaid_sat=350, earnings_today_sat=50, total_paid_sat=100
    )
    assert findings(lake) == []
    assert lake.query(
        "select earned_sat, computed_unpaid_sat, unpaid_diff_sat, status from payout_reconciliation"
    ) == [(400, 300, 0, "ok")]


def onchain(lake: HandLake, tx: str, **values: Any) -> None:
    lake.snapshot("onchain_tx", "a", payment_tx=tx, address="3Good", **values)


def test_onchain_findings(lake: HandLake) -> None:
    lake.observe(
        "a",
        [paid(D1, 100, "ok"), paid(D2, 100, "gone"), paid(D3, 100, "wait"), paid(D4, 100, "short")],
    )
    confirmed = {"found": True, "confirmed": True, "block_height": 900000, "block_time": PAID_AT}
    onchain(lake, "ok", onchain_sat=100, **confirmed)
    onchain(lake, "gone", found=False, confirmed=False)
    onchain(lake, "wait", found=True, confirmed=False, onchain_sat=100)
    onchain(lake, "short", onchain_sat=90, **confirmed)
    assert findings(lake) == [
        ("a", D2, "gone", "onchain_missing", 100, None),
        ("a", D3, "wait", "onchain_unconfirmed", 100, 100),
        ("a", D4, "short", "onchain_amount_mismatch", 100, 90),
    ]
    rows = lake.query(
        "select payment_tx, onchain_sat, confirmed, block_height from payout_onchain order by 1"
    )
    assert rows == [
        ("gone", None, False, None),
        ("ok", 100, True, 900000),
        ("short", 90, True, 900000),
        ("wait", 100, False, None),
    ]


def test_the_latest_check_of_a_payout_wins(lake: HandLake) -> None:
    lake.observe("a", [paid(D1, 100, "t1")])
    onchain(lake, "t1", found=True, confirmed=False, onchain_sat=100)
    onchain(lake, "t1", found=True, confirmed=True, onchain_sat=100, block_height=1)
    assert findings(lake) == []
