"""Clock and zones: DST gaps and folds, a pool zone that is not UTC, payments around midnight
and New Year: every row lands on the right day and in the right tax year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.exports.income import income_events
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.time_fields import parse_naive_time
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import SIM_BASE_URL, Sim
from tests.warehouse.handlake import Day, HandLake

pytestmark = pytest.mark.adversarial
WHERE = Where("main", "earn-history", 1)
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("naive", "zone", "utc"),
    [
        ("2026-03-08 01:59:59", "America/New_York", datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)),
        ("2026-03-08 03:00:00", "America/New_York", datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        # 02:30 does not exist that night; read with the offset before the gap (fold 0)
        ("2026-03-08 02:30:00", "America/New_York", datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
        # 01:30 happens twice on 1 November; fold 0 is the first (summer) one
        ("2026-11-01 01:30:00", "America/New_York", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        ("2026-01-01 00:30:00", "Asia/Shanghai", datetime(2025, 12, 31, 16, 30, tzinfo=UTC)),
        ("2025-12-31 23:59:59", "UTC", datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_naive_pool_times_become_the_right_utc_instant(
    naive: str, zone: str, utc: datetime
) -> None:
    assert parse_naive_time(naive, "payment_time", WHERE, ZoneInfo(zone)) == utc


@pytest.mark.anyio
async def test_a_pool_in_shanghai_pays_in_the_right_tax_year(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(
        n_accounts=1,
        days=60,
        timezone="Asia/Shanghai",
        now=datetime(2026, 1, 20, 4, tzinfo=UTC),
    )
    path, environ = write_sim_config(tmp_path, sim.pool, SIM_BASE_URL, 'timezone = "Asia/Shanghai"')
    config = load_config(path, environ)
    await ingest(config, config.accounts, LakeStorage(config.lake), client=sim.client())
    assert build_warehouse(config).published
    shanghai = ZoneInfo("Asia/Shanghai")
    payouts = {
        day.payment_tx: day.payment_time.replace(tzinfo=shanghai)
        for day in sim.pool.history(sim.pool.accounts[0])
        if day.payment_tx and day.payment_time
    }
    assert payouts
    for zone in (shanghai, ZoneInfo("UTC")):
        for year in (2025, 2026):
            events = income_events(config.warehouse, "receipt", year, zone)
            expected = {tx for tx, when in payouts.items() if when.astimezone(zone).year == year}
            assert {e.payment_tx for e in events} == expected
            for event in events:
                assert event.payment_tx is not None  # each income is a payout's
                assert event.timestamp == payouts[event.payment_tx].astimezone(UTC)


def test_midnight_and_new_year_payments_in_zones(tmp_path: Path) -> None:
    lake = HandLake(tmp_path, timezone="America/New_York")
    paid = [
        # 23:59:59 on 31 December in New York is already 2026 in UTC
        Day(
            date(2025, 12, 30),
            100,
            paid=100,
            tx="nye",
            paid_at=datetime(2026, 1, 1, 4, 59, 59, tzinfo=UTC),
        ),
        Day(
            date(2025, 12, 31),
            200,
            paid=200,
            tx="ny-new",
            paid_at=datetime(2026, 1, 1, 5, 0, 0, tzinfo=UTC),
        ),
    ]
    lake.observe("main", paid)
    assert lake.build().published
    utc_2025 = {e.payment_tx for e in income_events(lake.config.warehouse, "receipt", 2025, UTC)}
    ny_2025 = {
        e.payment_tx for e in income_events(lake.config.warehouse, "receipt", 2025, NEW_YORK)
    }
    assert utc_2025 == set() and ny_2025 == {"nye"}
    # the 30th paid at 23:59:59 local on the 31st and the 31st paid at 00:00:00 local on the
    # 1st: both after their day ended in New York
    early = "select date, kind from reconciliation_issues where kind = 'payment_before_earning'"
    assert lake.query(early) == []
    too_soon = Day(
        date(2026, 1, 1),
        50,
        paid=50,
        tx="too-soon",
        paid_at=datetime(2026, 1, 2, 4, 59, 59, tzinfo=UTC),  # 23:59:59 on the 1st in New York
    )
    lake.observe("main", [*paid, too_soon])
    lake.build()
    assert lake.query(early) == [(date(2026, 1, 1), "payment_before_earning")]


def test_hashrate_snapshots_on_a_dst_night_fall_on_local_days(tmp_path: Path) -> None:
    lake = HandLake(tmp_path, timezone="Europe/Berlin")
    lake.observe("main", [Day(date(2026, 3, 29), 1)])
    # Berlin moves from UTC+1 to UTC+2 at 01:00 UTC on 29 March 2026
    for hour, rate in ((22, 1e15), (23, 2e15), (0, 3e15), (1, 4e15), (22, 5e15)):
        day = 28 if hour >= 22 and rate < 3e15 else 29
        lake.snapshot(
            "hashrate", "main", at=datetime(2026, 3, day, hour, tzinfo=UTC), shares_15m_hs=rate
        )
    assert lake.build().published
    assert lake.query("select date, snapshots from hashrate_daily order by date") == [
        (date(2026, 3, 28), 1),  # 22:00 UTC on the 28th is 23:00 in Berlin
        (date(2026, 3, 29), 3),  # 23:00 UTC -> 00:00, 00:00 -> 01:00, 01:00 UTC -> 03:00 CEST
        (date(2026, 3, 30), 1),  # 22:00 UTC on the 29th is 00:00 CEST on the 30th
    ]
