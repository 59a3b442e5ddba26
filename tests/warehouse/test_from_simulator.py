"""The warehouse built from simulated pool data: it agrees with the pool to the satoshi."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import SIM_BASE_URL, Sim

pytestmark = pytest.mark.anyio


async def test_warehouse_matches_the_pool_for_both_orders_and_string_numbers(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=5, days=150)
    orders = {a.order for a in sim.pool.accounts}
    assert orders == {"newest_first", "oldest_first"}
    assert any(a.string_numbers for a in sim.pool.accounts)
    path, environ = write_sim_config(tmp_path, sim.pool, SIM_BASE_URL)
    config = load_config(path, environ)
    storage = LakeStorage(config.lake)
    await ingest(config, config.accounts, storage, client=sim.client())
    for _ in range(3):  # snapshots through the day, then the day settles
        sim.pool.advance(seconds=3600)
        await ingest(config, config.accounts, storage, client=sim.client(), history=False)
    sim.pool.advance(days=1)
    await ingest(config, config.accounts, storage, client=sim.client())
    report = build_warehouse(config)
    assert report.failed_tests == []

    con = duckdb.connect(str(config.warehouse), read_only=True)
    got = {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            "select account, date, earnings_sat, paid_amount_sat, payment_tx, payout_address "
            "from daily_earnings"
        ).fetchall()
    }
    truth = {
        (a.name, d.date): (d.earnings_sat, d.paid_amount_sat, d.payment_tx, d.address)
        for a in sim.pool.accounts
        for d in sim.pool.history(a)
    }
    assert got == truth
    assert con.execute("select count(*) from reconciliation_issues").fetchone() == (0,)
    statuses = con.execute("select distinct status from payout_reconciliation").fetchall()
    assert statuses == [("ok",)]
    efficiency = dict(
        con.execute(
            "select e.account, e.efficiency from earnings_vs_difficulty e "
            "where e.efficiency is not null and e.earnings_sat > 0"
        ).fetchall()
    )
    modes = {a.name: a.payment_mode for a in sim.pool.accounts}
    assert efficiency, "a settled day with snapshots"
    for account, value in efficiency.items():
        low, high = (0.88, 1.02) if modes[account] == "PPS" else (0.95, 1.12)
        assert low < value < high, (account, value)
    payouts = con.execute("select sum(earning_days), count(*) from payouts").fetchone()
    assert payouts is not None and payouts[0] > payouts[1]  # some payouts cover several days
