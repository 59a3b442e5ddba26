"""Incremental builds: after every change to the lake, the updated warehouse equals a full
rebuild of the same lake, mart by mart (`order by all`)."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poolbooks.lake.compact import compact_lake
from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse import build, incremental
from poolbooks.warehouse.build import BuildReport, build_warehouse
from poolbooks.warehouse.cost_settings import AccountPower, CostSettings, FixedCost, Tariff
from poolbooks.warehouse.project import load_project
from tests.warehouse.duckdb_cli import duckdb_cli
from tests.warehouse.handlake import Day, HandLake, Price, days_from

START = date(2020, 1, 1)
T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
MARTS = sorted(name for name, m in load_project().models.items() if m.layer == "marts")
COSTS = CostSettings(
    electricity=(Tariff(START, Decimal("0.08")), Tariff(date(2023, 6, 1), Decimal("0.1125"))),
    power={"a": AccountPower(power_watts=Decimal("3250"))},
)


def marts(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            name: con.execute(f"select * from {name} order by all").fetchall() for name in MARTS
        }


def full_rebuild(lake: HandLake, tmp: Path) -> Path:
    """The same lake and settings, built whole into another file."""
    other = tmp / f"full-{lake.runs}.duckdb"
    report = build_warehouse(dataclasses.replace(lake.config, warehouse=other), full=True)
    assert report.published and report.full_reason == "asked for (--full)"
    return other


def assert_same_as_full(lake: HandLake, tmp: Path, report: BuildReport) -> None:
    assert report.published, [t for t in report.failed_tests]
    updated, rebuilt = marts(lake.folder / "warehouse.duckdb"), marts(full_rebuild(lake, tmp))
    differing = {
        name: (
            [row for row in updated[name] if row not in rebuilt[name]][:3],
            [row for row in rebuilt[name] if row not in updated[name]][:3],
        )
        for name in MARTS
        if updated[name] != rebuilt[name]
    }
    assert not differing  # per mart: (rows only the update has, rows only the rebuild has)
    with duckdb.connect(str(lake.folder / "warehouse.duckdb"), read_only=True) as con:
        recorded = con.execute(f"select * from {incremental.LAST_DAYS} order by all").fetchall()
        last_days = con.execute(
            "select account, coin, max(date) from daily_earnings group by all order by all"
        ).fetchall()
    assert recorded == last_days  # what the next update plans with


def history(n: int, start: date = START, paid_every: int = 7) -> list[Day]:
    """n settled days from `start`, paid every `paid_every` days (the day's own earnings)."""
    days = []
    for i in range(n):
        d = start + timedelta(days=i)
        earned = 1_000_000 + 1_000 * i
        if i % paid_every == paid_every - 1:
            at = datetime.combine(d + timedelta(days=1), datetime.min.time(), UTC)
            days.append(Day(d, earned, earned * paid_every, f"tx{d:%Y%m%d}", at, "addr1"))
        else:
            days.append(Day(d, earned))
    return days


Step = Callable[[HandLake], None]


def new_day(lake: HandLake) -> None:
    """Tomorrow for every account, with yesterday's payout, fetched after midnight."""
    for account in list(lake.accounts):
        last = lake.query("select max(date) from daily_earnings where account = ?", account)[0][0]
        today = last + timedelta(days=1)
        at = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
        lake.observe(
            account,
            [
                Day(last, 1_000_500, 1_000_500, f"tx-new-{account}-{last}", at, "addr1"),
                Day(today, 900_000),
            ],
            at=at + timedelta(hours=1),
        )


def restate_deep(lake: HandLake) -> None:
    """A day five years back, reported again with other earnings."""
    lake.observe("a", [Day(START + timedelta(days=40), 777)], at=T0 + timedelta(days=30))


def new_account(lake: HandLake) -> None:
    lake.observe("c", days_from(date(2021, 5, 1), [5_000, 6_000, 7_000]))


def fill_gap(lake: HandLake) -> None:
    """The missing day of account b arrives late."""
    lake.observe("b", [Day(START + timedelta(days=10), 4_242)], at=T0 + timedelta(days=31))


def payout_over_old_days(lake: HandLake) -> None:
    """A payout whose txid an old day already names, now named by a later day too."""
    lake.observe(
        "a",
        [Day(START + timedelta(days=300), 1_300_000, 5, "tx20200107", T0, "addr1")],
        at=T0 + timedelta(days=32),
    )


def snapshots(lake: HandLake) -> None:
    for account in ("a", "b"):
        lake.snapshot("hashrate", account, at=T0 + timedelta(days=33), shares_15m_hs=1.0e15)
        lake.snapshot("worker_stats", account, at=T0 + timedelta(days=33), workers_active=3)


def earn_stats(lake: HandLake) -> None:
    lake.snapshot("earn_stats", "a", at=T0 + timedelta(days=34), unpaid_sat=123, total_paid_sat=9)


def prices(lake: HandLake) -> None:
    lake.prices([Price(START + timedelta(days=i), str(7000 + i)) for i in range(0, 400, 3)])


def same_prices_again(lake: HandLake) -> None:
    lake.prices([Price(START + timedelta(days=i), str(7000 + i)) for i in range(0, 400, 3)])


def known_address(lake: HandLake) -> None:
    """Account info that reports the address every payout went to, twice."""
    for hours in (40, 41):
        lake.snapshot("account_info", "a", at=T0 + timedelta(hours=hours), address="addr1")


def other_address(lake: HandLake) -> None:
    """Account b's first info names another address: its payouts become findings."""
    lake.snapshot("account_info", "b", at=T0 + timedelta(days=35), address=" addr9 ")


def address_found(lake: HandLake) -> None:
    lake.snapshot("account_info", "b", at=T0 + timedelta(days=36), address="addr1")


def onchain_checks(lake: HandLake) -> None:
    lake.snapshot(
        "onchain_tx",
        "a",
        at=T0 + timedelta(days=37),
        payment_tx="tx20200121",
        found=True,
        confirmed=False,
        onchain_sat=7_000_000,
    )
    lake.snapshot("onchain_tx", "b", at=T0 + timedelta(days=37), payment_tx="nope", found=False)


def nothing(lake: HandLake) -> None:
    pass


STEPS: list[Step] = [
    nothing,
    new_day,
    restate_deep,
    new_account,
    fill_gap,
    payout_over_old_days,
    snapshots,
    earn_stats,
    known_address,
    other_address,
    address_found,
    onchain_checks,
    prices,
    same_prices_again,
    new_day,
]


def start_lake(tmp: Path, costs: CostSettings | None = None) -> HandLake:
    lake = HandLake(tmp, price_currency="USD", costs=costs or CostSettings())
    lake.observe("a", history(400), at=T0)
    gap = [d for d in history(60, paid_every=10) if d.date != START + timedelta(days=10)]
    lake.observe("b", gap, at=T0)
    lake.prices([Price(START + timedelta(days=i), str(7000 + i)) for i in range(0, 400, 2)])
    lake.snapshot("hashrate", "a", at=T0, shares_15m_hs=2.0e15)
    report = lake.build()
    assert report.full_reason == "no published warehouse that recorded its build"
    return lake


@pytest.mark.parametrize("recent_tail", [False, True])
def test_every_incremental_build_equals_a_full_rebuild_after_each_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recent_tail: bool
) -> None:
    if recent_tail:  # the full builds write a's last 100 days after the rest
        since = (datetime.now(UTC).date() - START - timedelta(days=300)).days
        monkeypatch.setattr(build, "RECENT_TAIL_DAYS", since)
    # updates however much they recompute (a small lake's deep restatement is most of it)
    monkeypatch.setattr(incremental, "MAX_SHARE", 1.0)
    monkeypatch.setattr(incremental, "GROWTH_LIMIT", 100.0)  # a small file grows fast
    lake = start_lake(tmp_path, COSTS)  # costed: daily_pnl has figures to carry
    for step in STEPS:
        step(lake)
        report = lake.build()
        assert report.full_reason is None, (step.__name__, report.full_reason)
        assert_same_as_full(lake, tmp_path, report)


def test_fixed_costs_recompute_every_account_from_one_day(tmp_path: Path) -> None:
    costs = dataclasses.replace(COSTS, fixed=(FixedCost(START, Decimal("310")),))
    lake = start_lake(tmp_path, costs)
    new_account(lake)
    report = lake.build()
    assert report.recomputed is not None and report.recomputed.accounts == 3
    assert report.recomputed.first_day == date(2020, 2, 29)  # b's last day, the earliest kept
    assert_same_as_full(lake, tmp_path, report)


def test_compaction_rebuilds_whole_and_says_why(tmp_path: Path) -> None:
    lake = start_lake(tmp_path)
    new_day(lake)
    compact_lake(LakeStorage(str(lake.folder / "lake")), "compact-1")
    report = lake.build()
    assert report.full_reason is not None and "gone (compacted?)" in report.full_reason
    assert_same_as_full(lake, tmp_path, report)
    new_day(lake)
    report = lake.build()
    assert report.full_reason is None
    assert_same_as_full(lake, tmp_path, report)


def test_a_new_day_recomputes_only_the_last_days(tmp_path: Path) -> None:
    lake = start_lake(tmp_path)
    new_day(lake)
    report = lake.build()
    assert report.recomputed is not None and report.recomputed.accounts == 2
    # a's last published day (paid now) and its new day; b's the same
    assert report.recomputed_rows["daily_earnings"] == 4
    assert report.rows["daily_earnings"] == 400 + 59 + 2


def test_an_updated_warehouse_opens_in_an_older_duckdb(tmp_path: Path) -> None:
    """The update rewrites a copy of the published file with this DuckDB; the DuckDB 1.5 CLI
    still opens the result and reads the same marts, with the saved macros."""
    lake = start_lake(tmp_path)
    new_day(lake)
    report = lake.build()
    assert report.full_reason is None and report.published
    warehouse = str(lake.folder / "warehouse.duckdb")
    counts = " union all ".join(f"select '{name}', count(*) from {name}" for name in MARTS)
    with duckdb.connect(warehouse, read_only=True) as con:
        ours = [f"{name},{n}" for name, n in con.execute(counts).fetchall()]
    assert duckdb_cli("-readonly", warehouse, "-c", counts)[1:] == ours
    last = duckdb_cli(
        "-readonly",
        warehouse,
        "-c",
        "select max(date), count(*), sum_sat(earnings_sat) = sum(earnings_sat) "
        "from daily_earnings where account = 'a'",
    )
    assert last[1:] == [f"{START + timedelta(days=400)},401,true"]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_an_update_reads_the_snapshots_of_a_pool_day_that_began_the_utc_day_before(
    tmp_path: Path, zone: str
) -> None:
    # UTC+14 and UTC-12: the update's new snapshots fall on pool-zone days whose published
    # snapshots were taken before UTC's midnight of that day (+14) or after the next (-12)
    lake = HandLake(tmp_path, timezone=zone)
    lake.observe("a", history(30), at=T0)
    last = START + timedelta(days=29)
    midnight = datetime.combine(last, datetime.min.time(), UTC)
    for hours in (-13, -1, 30, 35):
        at = midnight + timedelta(hours=hours)
        lake.snapshot("hashrate", "a", at=at, shares_15m_hs=1.0e15 + hours * 1.0e12)
    assert lake.build().full_reason is not None
    for hours in (3, 20):
        at = midnight + timedelta(hours=hours)
        lake.snapshot("hashrate", "a", at=at, shares_15m_hs=1.0e15 + hours * 1.0e12)
    new_day(lake)
    report = lake.build()
    assert report.full_reason is None and report.recomputed_rows["hashrate_daily"] >= 1
    assert_same_as_full(lake, tmp_path, report)


def test_an_update_without_new_snapshots_keeps_the_published_hashrate_days(
    tmp_path: Path,
) -> None:
    # the new day's earn-history changes a's last days, not the snapshots they are joined with
    lake = HandLake(tmp_path)
    lake.observe("a", history(30), at=T0)
    last = START + timedelta(days=29)
    for day in (last - timedelta(days=1), last):
        at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
        lake.snapshot("hashrate", "a", at=at, shares_15m_hs=1.0e15)
    assert lake.build().full_reason is not None
    new_day(lake)
    report = lake.build()
    assert report.full_reason is None and report.recomputed_rows["hashrate_daily"] == 0
    assert report.recomputed_rows["earnings_vs_difficulty"] >= 1
    assert lake.query(
        "select count(hashrate_hs) from earnings_vs_difficulty where date >= ?", last
    ) == [(1,)]
    assert_same_as_full(lake, tmp_path, report)


def test_a_full_build_writes_the_recent_days_of_a_mart_after_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the last 100 of a's 400 days are "recent": written after every older row (by rowid), so
    # an update's reads of recent days skip the older row groups; a day either side of the
    # cutoff is left out of the check, should the build's clock pass midnight meanwhile
    cutoff = START + timedelta(days=300)
    monkeypatch.setattr(build, "RECENT_TAIL_DAYS", (datetime.now(UTC).date() - cutoff).days)
    lake = start_lake(tmp_path)
    with duckdb.connect(str(lake.folder / "warehouse.duckdb"), read_only=True) as con:
        for mart, column in (
            ("daily_earnings", "date"),
            ("earnings_vs_difficulty", "date"),
            ("payouts", "last_date"),
        ):
            older, recent = con.execute(
                f"select max(rowid) filter (where {column} < $older), "
                f"min(rowid) filter (where {column} > $recent) from {mart}",
                {"older": cutoff - timedelta(days=1), "recent": cutoff + timedelta(days=1)},
            ).fetchone() or (None, None)
            assert older is not None and recent is not None and older < recent, mart
    new_day(lake)
    report = lake.build()
    assert report.full_reason is None
    assert_same_as_full(lake, tmp_path, report)


def test_an_update_carries_on_from_days_long_before_the_recent_ones(tmp_path: Path) -> None:
    # a's last two days before its last published one lie more than RECENT_DAYS before it,
    # outside the window the update looks in first; b's are the days just before
    lake = HandLake(tmp_path, price_currency="USD", costs=COSTS)
    gap = incremental.RECENT_DAYS + 20
    lake.observe("a", [*history(50), *history(1, start=START + timedelta(days=50 + gap))], at=T0)
    lake.observe("b", history(50 + gap + 1), at=T0)
    lake.prices([Price(START + timedelta(days=i), str(7000 + i)) for i in range(0, 200)])
    assert lake.build().full_reason is not None
    new_day(lake)
    report = lake.build()
    assert report.full_reason is None
    assert_same_as_full(lake, tmp_path, report)


def test_changed_settings_rebuild_whole(tmp_path: Path) -> None:
    lake = start_lake(tmp_path)
    lake.costs = COSTS
    report = lake.build()
    assert report.full_reason == "the SQL or the settings changed since the published build"
    lake.timezone = "Asia/Shanghai"
    assert lake.build().full_reason == "the SQL or the settings changed since the published build"
    assert lake.build().full_reason is None


def test_with_fixed_costs_a_restated_day_recomputes_its_account_only(tmp_path: Path) -> None:
    costs = dataclasses.replace(COSTS, fixed=(FixedCost(START, Decimal("310")),))
    lake = start_lake(tmp_path, costs)
    lake.observe("a", [Day(START + timedelta(days=380), 4_321)], at=T0 + timedelta(days=30))
    report = lake.build()
    # the day was settled and published: how many accounts share each day's costs is the same
    assert report.recomputed is not None and report.recomputed.accounts == 1
    assert report.recomputed.first_day == START + timedelta(days=380)
    assert_same_as_full(lake, tmp_path, report)


def test_an_update_of_most_of_the_history_builds_whole_instead(tmp_path: Path) -> None:
    lake = start_lake(tmp_path)
    restate_deep(lake)  # a's day 40 of 400, b untouched: 360 of 459 days
    report = lake.build()
    assert report.full_reason == (
        "an update would recompute 78% of the published days: building whole is faster"
    )
    assert_same_as_full(lake, tmp_path, report)


def test_a_grown_file_is_built_whole_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lake = start_lake(tmp_path)
    monkeypatch.setattr(incremental, "GROWTH_LIMIT", 0.5)
    new_day(lake)
    report = lake.build()
    assert report.full_reason is not None
    assert report.full_reason.startswith("the warehouse file has grown to ")
    assert report.full_reason.endswith(" times its size after its last full build")


@st.composite
def batches(draw: st.DrawFn) -> list[list[tuple[str, list[Day]]]]:
    """Batches of ingest runs (an account's observations of some days of a month, possibly
    paid, possibly again with other figures), each followed by a build."""
    start = date(2025, 12, 1)
    out = []
    for _batch in range(draw(st.integers(2, 4))):
        runs = []
        for _run in range(draw(st.integers(1, 2))):
            account = draw(st.sampled_from(["a", "b", "c"]))
            days = []
            for offset in sorted(draw(st.sets(st.integers(0, 30), min_size=1, max_size=6))):
                paid = draw(st.booleans())
                earnings = draw(st.integers(0, 10**8))
                days.append(
                    Day(
                        start + timedelta(days=offset),
                        earnings,
                        paid=earnings if paid else 0,
                        tx=f"tx{offset // 3}-{draw(st.integers(0, 1))}" if paid else None,
                        paid_at=datetime(2026, 1, 15, tzinfo=UTC) if paid else None,
                        address=draw(st.sampled_from(["3A", "3B"])) if paid else None,
                    )
                )
            runs.append((account, days))
        out.append(runs)
    return out


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=batches(), fixed=st.booleans())
def test_updates_equal_full_rebuilds_on_any_history(
    history: list[list[tuple[str, list[Day]]]], fixed: bool
) -> None:
    costs = dataclasses.replace(COSTS, fixed=(FixedCost(START, Decimal("310")),) if fixed else ())
    with (
        tempfile.TemporaryDirectory() as folder,
        mock.patch.object(incremental, "MAX_SHARE", 1.0),
        mock.patch.object(incremental, "GROWTH_LIMIT", 100.0),
    ):
        lake = HandLake(Path(folder), price_currency="USD", costs=costs)
        lake.prices(
            [Price(date(2025, 12, 1) + timedelta(days=i), str(90000 + i)) for i in range(31)]
        )
        at = T0
        for number, runs in enumerate(history):
            for account, days in runs:
                at += timedelta(hours=1)
                lake.observe(account, days, at=at)
            lake.snapshot("hashrate", runs[0][0], at=at, shares_15m_hs=1.0e15)
            report = lake.build()
            assert (report.full_reason is None) == (number > 0), report.full_reason
            assert_same_as_full(lake, Path(folder), report)
