"""Hypothesis: whatever history a pool reports, the models keep their invariants."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.warehouse.handlake import Day, HandLake

START = date(2025, 12, 1)


@st.composite
def histories(draw: st.DrawFn) -> dict[str, list[list[Day]]]:
    """Per account, one or more runs' observations of a possibly gappy, partly paid history."""
    accounts: dict[str, list[list[Day]]] = {}
    for name in draw(
        st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=2, unique=True)
    ):
        offsets = sorted(draw(st.sets(st.integers(0, 30), min_size=1, max_size=12)))
        runs = []
        for _run in range(draw(st.integers(1, 3))):
            days = []
            for offset in offsets:
                earnings = draw(st.integers(0, 10**9))
                is_paid = draw(st.booleans())
                tx = f"tx{offset // 3}-{draw(st.integers(0, 1))}" if is_paid else None
                paid = draw(st.sampled_from([0, earnings, earnings + 1])) if is_paid else 0
                when = datetime(2026, 1, 15, tzinfo=UTC) if is_paid else None
                days.append(
                    Day(
                        START + timedelta(days=offset),
                        earnings,
                        paid=paid,
                        tx=tx,
                        paid_at=when,
                        address=draw(st.sampled_from([None, "3A", " 3A", "3B"])),
                    )
                )
            runs.append(days)
        accounts[name] = runs
    return accounts


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories())
def test_models_keep_their_invariants_on_any_history(history: dict[str, list[list[Day]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        lake = HandLake(Path(folder))
        for account, runs in history.items():
            for days in runs:
                lake.observe(account, days)
        report = lake.build()
        assert report.failed_tests == [], report.failed_tests
        for account, runs in history.items():
            latest = {d.date: d for d in runs[-1]}
            rows = lake.query(
                "select date, earnings_sat, paid_amount_sat, unpaid_balance_sat "
                "from daily_earnings where account = ? order by date",
                account,
            )
            assert [r[0] for r in rows] == sorted(latest)
            assert [r[1] for r in rows] == [latest[d].earnings for d in sorted(latest)]
            earned = sum(d.earnings for d in latest.values())
            paid = sum(d.paid for d in latest.values())
            assert rows[-1][3] == earned - paid
            span = (max(latest) - min(latest)).days + 1
            (missing,) = lake.query(
                "select count(*) from reconciliation_issues "
                "where account = ? and kind = 'missing_days'",
                account,
            )
            assert missing == (span - len(latest),)
            (totals,) = lake.query(
                "select earned_sat, paid_sat, computed_unpaid_sat from payout_reconciliation "
                "where account = ?",
                account,
            )
            assert totals == (earned, paid, earned - paid)
