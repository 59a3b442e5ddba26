"""`provisional` marks the pool's unsettled today row (daily_earnings, earnings_vs_difficulty)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from tests.warehouse.handlake import Day, HandLake, days_from

D = date(2026, 3, 1)


def provisional(lake: HandLake, table: str = "daily_earnings") -> list[tuple[date, bool]]:
    return [
        (day, flag)
        for day, flag in lake.query(f"select date, provisional from {table} order by date")
    ]


def test_todays_row_seen_before_the_day_ended_is_provisional(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    days = [*days_from(date(2026, 2, 26), [500, 0, 600]), Day(D, 0)]
    lake.observe("main", days, at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    assert lake.build().failed_tests == []
    expected = [(d.date, d.date == D) for d in days]
    assert provisional(lake) == expected  # the zero day of 02-27 is a settled day
    assert provisional(lake, "earnings_vs_difficulty") == expected


def test_an_estimate_for_today_is_provisional_and_settles_once_seen_after_the_day(
    tmp_path: Path,
) -> None:
    lake = HandLake(tmp_path)
    lake.observe(
        "main", [Day(date(2026, 2, 28), 500), Day(D, 120)], at=datetime(2026, 3, 1, 23, tzinfo=UTC)
    )
    assert lake.build().failed_tests == []
    assert provisional(lake) == [(date(2026, 2, 28), False), (D, True)]
    lake.observe(
        "main", [Day(D, 480), Day(date(2026, 3, 2), 0)], at=datetime(2026, 3, 2, 5, tzinfo=UTC)
    )
    assert lake.build().failed_tests == []
    assert provisional(lake) == [(date(2026, 2, 28), False), (D, False), (date(2026, 3, 2), True)]


def test_the_newest_day_not_yet_settled_after_midnight_is_provisional(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    days = [Day(date(2026, 2, 28), 500), Day(D, 0)]
    lake.observe("main", days, at=datetime(2026, 3, 2, 0, 30, tzinfo=UTC))
    assert lake.build().failed_tests == []
    assert provisional(lake) == [(date(2026, 2, 28), False), (D, True)]


def test_a_day_ends_in_the_pools_zone(tmp_path: Path) -> None:
    lake = HandLake(tmp_path, timezone="Asia/Shanghai")
    # 17:00 UTC on 03-01 is 01:00 on 03-02 in Shanghai: the pool's 03-01 had ended
    lake.observe("main", [Day(D, 480)], at=datetime(2026, 3, 1, 17, tzinfo=UTC))
    lake.observe("other", [Day(D, 480)], at=datetime(2026, 3, 1, 15, tzinfo=UTC))
    assert lake.build().failed_tests == []
    assert lake.query("select account, provisional from daily_earnings order by account") == [
        ("main", False),
        ("other", True),
    ]
