"""Restatements reach the lake without `--full`: scheduled full walks, spread over accounts,
and a full walk at once when the pool's own totals disagree with the history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from poolbooks.config import Config
from poolbooks.ingest.full_walks import due_days
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import Sim
from tests.ingest.test_run import run
from tests.ingest.test_run import sim_config as ingest_config

pytestmark = pytest.mark.anyio
WEEKLY = "[ingest]\nfull_walk_days = 7\n"


def sim_config(sim: Sim, folder: Path) -> Config:
    return ingest_config(sim, folder, WEEKLY)


def walks(config: Config) -> list[tuple[Any, ...]]:
    return duckdb.execute(
        "select fetch_date, account, mode, trigger, unpaid_diff_sat, total_paid_diff_sat "
        f"from read_parquet('{config.lake}/earn_history_walks/*/*.parquet') order by all"
    ).fetchall()


def restate(sim: Sim, day: date, **fields: int) -> None:
    """The pool changes a row of `day` from now on (a restatement long after payment)."""
    original = sim.pool.earn_history_rows
    stamp = int(day.strftime("%Y%m%d"))

    def restated(account: Any) -> list[dict[str, Any]]:
        rows = original(account)
        if account.puid != sim.pool.accounts[0].puid:
            return rows
        return [
            {**r, **{k: int(r[k]) + v for k, v in fields.items()}} if int(r["date"]) == stamp else r
            for r in rows
        ]

    sim.pool.earn_history_rows = restated  # type: ignore[method-assign]


def pool_totals_off(sim: Sim, **offsets: int) -> None:
    """The pool's own earn-stats figures for the first account differ by `offsets` from the
    history it serves, from now on."""
    original = sim.pool.earn_stats
    first = sim.pool.accounts[0].puid

    def shifted(account: Any) -> dict[str, Any]:
        stats = original(account)
        if account.puid != first:
            return stats
        return {**stats, **{k: str(int(stats[k]) + v) for k, v in offsets.items()}}

    sim.pool.earn_stats = shifted  # type: ignore[method-assign]


def test_accounts_come_due_between_half_and_all_of_full_walk_days() -> None:
    due = {name: due_days(name, 7) for name in (f"sim{i:03d}" for i in range(1, 41))}
    assert set(due.values()) <= {4, 5, 6, 7} and len(set(due.values())) == 4
    assert due_days("sim001", 7) == due["sim001"]  # the same every time
    assert due_days("any", 1) == 1


async def test_a_paid_day_restated_100_days_back_arrives_with_the_next_scheduled_walk(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=1, days=200)
    config = sim_config(sim, tmp_path)
    await run(sim, config)  # the first full walk
    restated_day = sim.pool.today - timedelta(days=100)
    (old,) = [
        d.earnings_sat for d in sim.pool.history(sim.pool.accounts[0]) if d.date == restated_day
    ]
    restate(sim, restated_day, earnings=1234)
    due = due_days("sim001", 7)
    for day in range(1, due + 1):
        sim.pool.advance(days=1)
        before = sim.state.by_endpoint["earn-history"]
        report = await run(sim, config)
        history_requests = sim.state.by_endpoint["earn-history"] - before
        reason = report.outcomes["sim001"].full_walk_reason
        if day < due:  # nothing due: one page, as an incremental walk costs
            assert (reason, history_requests) == (None, 1), day
    assert reason == "scheduled" and history_requests > 4  # every page, on the day it was due
    build_warehouse(config)
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        earned = con.execute(
            "select earnings_sat from daily_earnings where date = ?", [restated_day]
        ).fetchall()
        findings = con.execute(
            "select kind, expected_sat, actual_sat from reconciliation_issues where date = ?",
            [restated_day],
        ).fetchall()
    assert earned == [(old + 1234,)]
    assert findings == [("history_changed", old, old + 1234)]


async def test_totals_that_disagree_walk_everything_at_once(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=2, days=200)
    config = sim_config(sim, tmp_path)
    await run(sim, config)
    restated_day = sim.pool.today - timedelta(days=100)
    restate(sim, restated_day, paid_amount=-700)  # the pool paid that day 700 sat less
    pool_totals_off(sim, total_paid=-700, unpaid=700)  # and its totals say so
    sim.pool.advance(days=1)
    report = await run(sim, config)
    assert report.outcomes["sim001"].full_walk_reason == "totals"
    assert report.outcomes["sim002"].full_walk_reason is None  # its totals agree
    latest = [w for w in walks(config) if w[0] == sim.pool.today]
    assert [(w[1], w[2], w[3], w[4], w[5]) for w in latest] == [
        ("sim001", "full", "totals", 0, 0),  # the full walk settled it
        ("sim002", "incremental", None, None, None),
    ]
    build_warehouse(config)
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        paid = con.execute(
            "select paid_amount_sat, earnings_sat from daily_earnings "
            "where account = 'sim001' and date = ?",
            [restated_day],
        ).fetchone()
    assert paid is not None and paid[0] == paid[1] - 700


async def test_a_disagreement_a_full_walk_left_walks_nothing_more_until_it_changes(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=1, days=200)
    config = sim_config(sim, tmp_path)
    await run(sim, config)
    pool_totals_off(sim, total_paid=5)  # the pool's own figure is off for good
    reasons = []
    for _ in range(3):
        sim.pool.advance(days=1)
        reasons.append((await run(sim, config)).outcomes["sim001"].full_walk_reason)
    assert reasons == ["totals", None, None]
    assert walks(config)[1][2:] == ("full", "totals", 0, 5)  # what it left, recorded
    pool_totals_off(sim, total_paid=4)  # off by 9 now: a new figure, walked again
    sim.pool.advance(days=1)
    assert (await run(sim, config)).outcomes["sim001"].full_walk_reason == "totals"


async def test_scheduled_walks_spread_over_days_and_every_account_is_walked_in_time(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=20, days=60)
    config = sim_config(sim, tmp_path)
    await run(sim, config)
    full_per_day: list[int] = []
    walked: set[str] = set()
    for _ in range(7):
        sim.pool.advance(days=1)
        report = await run(sim, config)
        full = {a for a, o in report.outcomes.items() if o.full_walk_reason == "scheduled"}
        full_per_day.append(len(full))
        walked |= full
    assert walked == {a.name for a in config.accounts}  # all within full_walk_days
    assert full_per_day[:3] == [0, 0, 0]  # none due before half of it has passed
    assert max(full_per_day) < 20  # never all in one run
