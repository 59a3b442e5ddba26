"""The simulated pool: deterministic, consistent with itself, its clock movable."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest

from poolbooks.simulator.chain import difficulty
from poolbooks.simulator.halvings import subsidy_sat
from poolbooks.simulator.mining import PPS_FEE
from poolbooks.simulator.pool import SimulatedPool


def test_same_seed_same_answers_other_seed_other_answers() -> None:
    a, b, c = SimulatedPool(seed=7), SimulatedPool(seed=7), SimulatedPool(seed=8)
    account_a, account_b, account_c = a.accounts[0], b.accounts[0], c.accounts[0]
    assert a.earn_history_rows(account_a) == b.earn_history_rows(account_b)
    assert a.earn_stats(account_a) == b.earn_stats(account_b)
    assert a.earn_history_rows(account_a) != c.earn_history_rows(account_c)


def test_pps_earnings_follow_the_subsidy_formula() -> None:
    pool = SimulatedPool(days=60)
    account = pool.accounts[0]
    assert account.payment_mode == "PPS"
    for day in pool.history(account)[:-1]:
        expected = (
            pool.day_hashrate_hs(account, day.date)
            * 86400
            * subsidy_sat("BTC", day.date)
            / (difficulty("BTC", day.date, pool.seed) * 2**32)
        )
        assert day.earnings_sat == math.floor(expected * (1 - PPS_FEE))


def test_fpps_pays_more_than_pps_for_the_same_hashrate() -> None:
    pool = SimulatedPool(days=30)
    pps, fpps = pool.accounts[0], pool.accounts[1]
    assert fpps.payment_mode == "FPPS"
    day = pool.today - timedelta(days=3)
    ratio_pps = pool.full_day_earnings_sat(pps, day) / pool.day_hashrate_hs(pps, day)
    ratio_fpps = pool.full_day_earnings_sat(fpps, day) / pool.day_hashrate_hs(fpps, day)
    assert ratio_fpps > ratio_pps


def test_today_is_provisional_and_earn_stats_agree_with_the_history() -> None:
    pool = SimulatedPool(days=200)
    for account in pool.accounts:
        history = pool.history(account)
        assert history[-1].date == pool.today and history[-1].earnings_sat == 0
        stats = pool.earn_stats(account)
        unpaid_settled = sum(d.earnings_sat - d.paid_amount_sat for d in history[:-1])
        assert int(stats["unpaid"]) == unpaid_settled + int(stats["earnings_today"])
        assert int(stats["total_paid"]) == sum(d.paid_amount_sat for d in history)
        assert int(stats["earnings_yesterday"]) == history[-2].earnings_sat
        assert int(stats["earnings_today"]) > 0


def test_payouts_cover_several_days_and_reach_the_threshold() -> None:
    pool = SimulatedPool(days=200)
    account = pool.accounts[0]
    by_tx: dict[str, list[int]] = {}
    for day in pool.history(account):
        for i, payment in enumerate(day.payments):
            by_tx.setdefault(payment.txid, []).append(payment.amount_sat)
            assert payment.time.date() > day.date
            # the balance that made a payout counts what it left of a split day for the next
            if i == 0:
                by_tx[payment.txid].append(day.earnings_sat - payment.amount_sat)
        if day.payments and day.owed_sat == 0:
            assert day.paid_amount_sat == day.earnings_sat
    assert by_tx and max(len(days) for days in by_tx.values()) > 2
    assert all(sum(days) >= account.threshold_sat for days in by_tx.values())


def test_some_days_are_paid_in_two_payments_with_the_rest_owed_until_the_next() -> None:
    pool = SimulatedPool(days=400)
    account = pool.accounts[0]
    history = pool.history(account)
    split = [d for d in history if len(d.payments) == 2]
    assert len(split) >= 5 and history[49] in split  # the 50th day always
    for day in split:
        first, second = sorted(day.payments, key=lambda p: p.time)
        assert first.txid != second.txid and first.time < second.time
        assert first.amount_sat + second.amount_sat == day.earnings_sat
    rows = pool.earn_history_rows(account)
    assert len(rows) > len(history)  # a row per payment
    owed = [d for d in history if d.payments and d.owed_sat]
    for day in owed:  # paid in part so far: a paid row and an unpaid one with its reason
        stamp = int(day.date.strftime("%Y%m%d"))
        mine = [r for r in rows if int(r["date"]) == stamp]
        assert sorted(bool(r["payment_tx"]) for r in mine) == [False, True]
        assert [r.get("unpaid_reason") for r in mine if not r["payment_tx"]] != [None]


def test_the_fiftieth_day_straddles_the_first_page_boundary_oldest_first() -> None:
    pool = SimulatedPool(days=200, overrides={880001: {"order": "oldest_first"}})
    rows = pool.earn_history_rows(pool.accounts[0])
    assert int(rows[49]["date"]) == int(rows[50]["date"])
    assert rows[49]["payment_tx"] != rows[50]["payment_tx"]


def test_a_sub_account_with_no_history_yet_has_no_rows() -> None:
    pool = SimulatedPool(days=30, overrides={880002: {"has_history": False}})
    account = pool.accounts[1]
    assert pool.history(account) == [] and pool.earn_history_rows(account) == []
    stats = pool.earn_stats(account)
    assert (stats["total_paid"], stats["unpaid"], stats["last_payment_time"]) == ("0", "0", 0)


def test_numbers_arrive_as_integers_and_as_strings_as_captured() -> None:
    pool = SimulatedPool(days=200)
    rows = pool.earn_history_rows(pool.accounts[0])
    kinds = {type(r["earnings"]) for r in rows} | {type(r["date"]) for r in rows}
    assert kinds == {int, str}
    stats = pool.earn_stats(pool.accounts[0])
    assert isinstance(stats["last_payment_time"], int) and isinstance(stats["unpaid"], str)
    assert set(stats["hashrate_yesterday"]) == {"size", "unit"}


def test_the_last_new_accounts_have_no_history_yet() -> None:
    pool = SimulatedPool(n_accounts=5, new_accounts=1, days=60)
    assert [a.has_history for a in pool.accounts] == [True, True, True, True, False]
    assert pool.earn_history_rows(pool.accounts[4]) == []
    assert pool.hashrate(pool.accounts[4])["shares_15m_pure"] == "0"
    assert pool.accounts[3].order == "oldest_first" and pool.history(pool.accounts[3])
    with pytest.raises(ValueError, match="new_accounts"):
        SimulatedPool(n_accounts=2, new_accounts=3)


def test_a_pool_built_again_later_from_its_start_and_days_tells_the_same_past() -> None:
    """What `poolbooks simulate --config` does with the demo's pool, months later."""
    start, ends = date(2024, 12, 2), datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    demo = SimulatedPool(n_accounts=4, days=730, start=start, now=ends)
    later = SimulatedPool(n_accounts=4, days=730, start=start, now=ends + timedelta(days=75))
    for then, now in zip(demo.accounts, later.accounts, strict=True):
        assert then.threshold_sat == now.threshold_sat
        past = [d for d in demo.history(then) if d.payments and not d.owed_sat]
        assert len(past) > 600
        assert past == later.history(now)[: len(past)]


def test_a_moved_clock_answers_as_a_pool_built_at_that_clock() -> None:
    """The histories are kept while the clock moves within a day and before a payout time;
    whatever they keep, every answer is the one a fresh pool gives at that clock."""
    start = SimulatedPool(days=120).first_day
    moved = SimulatedPool(n_accounts=4, days=120, start=start)
    for step in range(12):
        moved.advance(seconds=5 * 3600 + 17)
        fresh = SimulatedPool(n_accounts=4, days=120, start=start, now=moved.now)
        for mine, theirs in zip(moved.accounts, fresh.accounts, strict=True):
            assert moved.earn_history_rows(mine) == fresh.earn_history_rows(theirs), step
            assert moved.earn_stats(mine) == fresh.earn_stats(theirs), step
        assert moved.payouts().keys() == fresh.payouts().keys()


def test_moving_the_clock_settles_today_and_adds_a_row() -> None:
    pool = SimulatedPool(days=30)
    account = pool.accounts[0]
    today = pool.today
    pool.advance(days=1)
    history = pool.history(account)
    assert history[-1].date == today + timedelta(days=1)
    assert history[-2].date == today and history[-2].earnings_sat > 0


def test_each_account_has_its_own_noisy_hashrate() -> None:
    pool = SimulatedPool(n_accounts=2, days=30)
    first, second = pool.accounts
    days = [pool.first_day + timedelta(days=i) for i in range(29)]
    rates = [pool.day_hashrate_hs(first, day) for day in days]
    live = [rate for rate in rates if rate > 0]
    assert len(set(live)) == len(live)  # no two days alike
    assert max(live) / min(live) < 1.2  # noise around a slowly growing mean, not chaos
    assert rates != [pool.day_hashrate_hs(second, day) for day in days]


def test_worker_stats_add_up_to_the_total() -> None:
    pool = SimulatedPool(n_accounts=3, days=30)
    for account in pool.accounts:
        for _ in range(5):
            stats = pool.worker_stats(account)
            parts = stats["workers_active"] + stats["workers_inactive"] + stats["workers_dead"]
            assert parts == stats["workers_total"] > 0 and stats["workers_active"] > 0
            pool.advance(seconds=600)
