"""An ingest run end to end against the simulator: full, incremental, failures, faults."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.ingest.reports import IngestReport
from poolbooks.ingest.run import ingest
from poolbooks.lake.schemas import SCHEMA_VERSION
from poolbooks.lake.storage import LakeStorage
from tests.conftest import FAST_SETTINGS, SIM_BASE_URL, Sim

pytestmark = pytest.mark.anyio
OBSERVATION = (
    "account, date, earnings_sat, paid_amount_sat, payment_time, payment_tx, address, "
    "difficulty, payment_mode, earnings_rate_pct, diff_rate_pct, extra"
)


def sim_config(sim: Sim, folder: Path, extra: str = "") -> Config:
    path, environ = write_sim_config(folder, sim.pool, SIM_BASE_URL, extra)
    return load_config(path, environ)


async def run(sim: Sim, config: Config, **kwargs: Any) -> IngestReport:
    kwargs.setdefault("client", sim.client(kwargs.pop("settings", FAST_SETTINGS)))
    accounts = kwargs.pop("accounts", config.accounts)
    return await ingest(config, accounts, LakeStorage(config.lake), **kwargs)


def query(config: Config, sql: str) -> list[tuple[Any, ...]]:
    lake = Path(config.lake)
    views = {
        name: f"read_parquet('{lake}/{name}/*/*.parquet', hive_partitioning=false)"
        for name in ("earn_history", "earn_history_walks", "earn_stats", "pool_stats", "hashrate")
    }
    return duckdb.execute(sql.format(**views)).fetchall()


def observations(config: Config) -> set[tuple[Any, ...]]:
    return set(query(config, f"select {OBSERVATION} from {{earn_history}}"))


def latest_per_day(config: Config) -> dict[tuple[str, Any], tuple[int, int, str | None]]:
    """Each day as the lake's latest observation of it has it: every row of the run that saw
    it last, as one day (earnings once, payments summed, the last payment's tx)."""
    by_run = query(
        config,
        "select account, date, earnings_sat, paid_amount_sat, payment_tx, payment_time "
        "from {earn_history} qualify run_id = first_value(run_id) over "
        "(partition by account, date order by fetched_at desc, run_id desc)",
    )
    days: dict[tuple[str, Any], list[tuple[Any, ...]]] = {}
    for row in by_run:
        days.setdefault((row[0], row[1]), []).append(row)
    return {
        key: (
            max(r[2] for r in day),
            sum(r[3] for r in day),
            max(((r[5], r[4]) for r in day if r[4]), default=(None, None))[1],
        )
        for key, day in days.items()
    }


def pool_truth(sim: Sim) -> dict[tuple[str, Any], tuple[int, int, str | None]]:
    return {
        (account.name, day.date): (day.earnings_sat, day.paid_amount_sat, day.payment_tx)
        for account in sim.pool.accounts
        for day in sim.pool.history(account)
    }


def pool_rows(sim: Sim) -> int:
    return sum(len(sim.pool.earn_history_rows(a)) for a in sim.pool.accounts)


async def test_full_ingest_writes_one_file_per_dataset_with_every_day(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=4, days=120)
    config = sim_config(sim, tmp_path)
    report = await run(sim, config)
    assert report.failed == []
    datasets = {f.dataset for f in report.files}
    assert {"earn_history", "earn_history_walks", "account_info", "earn_stats"} <= datasets
    assert {"hashrate", "worker_stats", "pool_stats", "raw_pages/earn-history"} <= datasets
    assert len(report.files) == len(datasets)  # one file per dataset and endpoint
    assert report.rows("earn_history") == pool_rows(sim) > 4 * 120  # some days: 2 payments
    assert report.rows("pool_stats") == 2  # one host, node and merged
    assert latest_per_day(config) == pool_truth(sim)
    pages = next(f for f in report.files if f.dataset == "raw_pages/earn-history")
    assert pages.rows == 4 * 3  # every page the rows came from, verbatim
    assert report.pages == 4 * (3 + 1)  # and page 1 fetched again to confirm the walk
    assert query(
        config, "select count(distinct run_id), min(schema_version) from {earn_stats}"
    ) == [(1, SCHEMA_VERSION)]


async def test_second_run_with_nothing_new_costs_one_history_page_per_account(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=4, days=120)
    config = sim_config(sim, tmp_path)
    await run(sim, config)
    before = sim.state.by_endpoint.get("earn-history", 0)
    report = await run(sim, config)
    assert sim.state.by_endpoint["earn-history"] - before == 4
    assert {o.history_mode for o in report.outcomes.values()} == {"incremental"}


async def test_incremental_after_the_clock_moves_keeps_the_lake_equal_to_the_pool(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=4, days=120)
    config = sim_config(sim, tmp_path)
    await run(sim, config)
    for _ in range(3):
        sim.pool.advance(days=1)
        before = sim.state.by_endpoint.get("earn-history", 0)
        await run(sim, config)
        assert sim.state.by_endpoint["earn-history"] - before <= 2 * 4
    assert latest_per_day(config) == pool_truth(sim)


async def test_one_refused_account_does_not_stop_the_others(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=3, days=60)
    path, environ = write_sim_config(tmp_path, sim.pool, SIM_BASE_URL)
    environ["POOLBOOKS_KEY_SIM002"] = "not-the-right-key"
    config = load_config(path, environ)
    report = await run(sim, config)
    (failed,) = report.failed
    assert failed.account == "sim002"
    assert failed.error == (
        "account 'sim002', endpoint account-info: err_no 20001: permissions denied"
    )
    landed = query(config, "select distinct account from {earn_history} order by 1")
    assert landed == [("sim001",), ("sim003",)]
    walks = query(config, "select account, complete from {earn_history_walks} order by 1")
    assert walks == [("sim001", True), ("sim003", True)]  # a refused key walks no history
    assert sim.state.by_endpoint["earn-stats"] == 2  # the refused account stops at once


async def test_a_pool_that_is_not_listening_fails_its_account_as_not_worth_retrying(
    tmp_path: Path,
) -> None:
    """A refused connection is final, so a scheduler (Dagster's retry policy reads
    `retryable`) fails at once instead of retrying for minutes."""
    from harness.loopback import free_port
    from poolbooks.pool_api.client import PoolClient
    from poolbooks.simulator.pool import SimulatedPool

    pool = SimulatedPool(n_accounts=1, days=3)
    path, environ = write_sim_config(tmp_path, pool, f"http://127.0.0.1:{free_port()}")
    config = load_config(path, environ)
    async with PoolClient(FAST_SETTINGS) as client:
        report = await ingest(config, config.accounts, LakeStorage(config.lake), client=client)
    (failed,) = report.failed
    assert failed.retryable is False and "connection refused" in (failed.error or "")
    assert report.retries == 0


async def test_faults_and_drift_leave_the_same_lake_as_a_clean_run(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    clean = make_sim(n_accounts=5, days=150)
    faulty = make_sim(
        "5xx=0.02,429=0.01,retry_after=0,err_no=0.01,badjson=0.01,drift=1", n_accounts=5, days=150
    )
    clean_config = sim_config(clean, tmp_path / "clean")
    faulty_config = sim_config(faulty, tmp_path / "faulty")
    await run(clean, clean_config)
    report = await run(faulty, faulty_config)
    assert report.failed == [] and report.retries > 0
    assert sum(faulty.state.faults_injected.values()) > 0
    assert observations(faulty_config) == observations(clean_config)
    for advance in (1, 1):
        clean.pool.advance(days=advance)
        faulty.pool.advance(days=advance)
        await run(clean, clean_config)
        await run(faulty, faulty_config)
    assert observations(faulty_config) == observations(clean_config)
    # drift made walks start again, and still a run holds one observation per account and day
    assert query(faulty_config, "select sum(repages) > 0 from {earn_history_walks}") == [(True,)]
    for config in (clean_config, faulty_config):
        repeats = (
            "select count(*) - count(distinct (run_id, account, date, payment_tx)) "
            "from {earn_history}"
        )
        assert query(config, repeats) == [(0,)]


async def test_history_state_starts_with_a_full_walk_until_one_completes(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    from poolbooks.ingest.state import read_history_state

    sim = make_sim(n_accounts=1, days=120)
    config = sim_config(sim, tmp_path)
    storage = LakeStorage(config.lake)
    assert read_history_state(storage, ["sim001"])["sim001"].since is None
    await run(sim, config)
    state = read_history_state(storage, ["sim001"])["sim001"]
    assert state.since is not None and state.since >= sim.pool.today - timedelta(days=30)
    rows = len(sim.pool.earn_history_rows(sim.pool.accounts[0]))
    assert state.hint is not None and state.hint.total_count == rows > 120
