"""One account's earn-history in a run: where the walk starts, what it walks again, and
what it keeps of pages it could not read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Sim
from tests.ingest.test_run import latest_per_day, pool_truth, query, run, sim_config

pytestmark = pytest.mark.anyio


async def test_unpaid_days_are_refetched_until_they_are_paid(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=1, days=60)
    config = sim_config(sim, tmp_path)
    await run(sim, config)
    history = sim.pool.history(sim.pool.accounts[0])
    unpaid = [d.date for d in history if not d.payments or d.owed_sat]
    oldest_unpaid = min(unpaid)
    for _ in range(8):
        sim.pool.advance(days=1)
        await run(sim, config)
    since = query(
        config,
        "select since from {earn_history_walks} where mode = 'incremental' order by fetched_at",
    )
    assert since[0][0] == oldest_unpaid
    assert latest_per_day(config) == pool_truth(sim)


async def test_full_flag_repages_everything(make_sim: Callable[..., Sim], tmp_path: Path) -> None:
    sim = make_sim(n_accounts=2, days=120)
    config = sim_config(sim, tmp_path)
    await run(sim, config)
    report = await run(sim, config, full=True)
    assert report.pages == 2 * (3 + 1)  # every page, and page 1 again to confirm
    assert {o.history_mode for o in report.outcomes.values()} == {"full"}


async def test_a_day_whose_rows_straddle_pages_is_never_half_observed(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    # oldest first, the 50th day's two payments end page 1 and start page 2; incremental walks
    # read from page 2 on, and must not record that day from its second row alone
    sim = make_sim(n_accounts=4, days=60)
    straddling = sim.pool.first_day + timedelta(days=49)
    served = sim.pool.earn_history_rows(sim.pool.accounts[3])
    assert [int(r["date"]) for r in served[49:51]] == [int(f"{straddling:%Y%m%d}")] * 2
    config = sim_config(sim, tmp_path)
    await run(sim, config)
    for _ in range(3):
        sim.pool.advance(days=1)
        report = await run(sim, config)
        assert report.outcomes["sim004"].history_pages == 1  # page 2 only
    assert latest_per_day(config) == pool_truth(sim)


async def test_a_malformed_page_names_account_endpoint_page_and_field_and_keeps_the_rest(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=2, days=120)
    original = sim.pool.earn_history_rows
    bad = sim.pool.accounts[1]

    def corrupt(account: Any) -> list[dict[str, Any]]:
        rows = original(account)
        if account.puid == bad.puid:
            rows[60] = {**rows[60], "earnings": -5}
        return rows

    sim.pool.earn_history_rows = corrupt  # type: ignore[method-assign]
    config = sim_config(sim, tmp_path)
    report = await run(sim, config)
    (failed,) = report.failed
    assert failed.error == (
        "account 'sim002', endpoint earn-history: page 2, field list[10].earnings: "
        "negative satoshi amount -5"
    )
    counts = dict(query(config, "select account, count(*) from {earn_history} group by 1"))
    good = len(original(sim.pool.accounts[0]))
    # the walk went past the page it could not read: pages 1 and 3 are kept, less the two days
    # at their edges by page 2, which may have had more rows there
    served = original(bad)
    edges = {served[49]["date"], served[100]["date"]}
    kept = [r for r in served[:50] + served[100:] if r["date"] not in edges]
    assert counts == {"sim001": good, "sim002": len(kept)}
    pages = query(
        config,
        "select account, endpoint, page, walk, error from read_json("
        f"'{config.lake}/failed_pages/*/*/*.jsonl.gz')",
    )
    assert pages == [("sim002", "earn-history", 2, 0, failed.error)]
    walks = query(config, "select account, complete, error from {earn_history_walks} order by 1")
    assert walks == [("sim001", True, None), ("sim002", False, failed.error)]
