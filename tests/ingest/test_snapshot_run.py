"""An account's snapshots in a run: fetched and kept without touching earn-history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Sim
from tests.ingest.test_run import query, run, sim_config

pytestmark = pytest.mark.anyio


async def test_snapshot_only_run_touches_no_history(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=2, days=30)
    config = sim_config(sim, tmp_path)
    report = await run(sim, config, history=False)
    assert "earn-history" not in sim.state.by_endpoint
    assert report.rows("hashrate") == 2 and report.rows("earn_stats") == 2
    totals = query(
        config, "select account, unpaid_sat, total_paid_sat from {earn_stats} order by 1"
    )
    for (name, unpaid, paid), account in zip(totals, sim.pool.accounts, strict=True):
        stats = sim.pool.earn_stats(account)
        assert (name, unpaid, paid) == (
            account.name,
            int(stats["unpaid"]),
            int(stats["total_paid"]),
        )
