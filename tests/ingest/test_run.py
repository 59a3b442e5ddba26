"""An ingest run end to end against the simulator: full, incremental, failures, faults."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.config import Config, load_config
from pipelines.ingest.reports import IngestReport
from pipelines.ingest.run import ingest
from pipelines.lake.schemas import SCHEMA_VERSION
from pipelines.lake.storage import LakeStorage
from tests.conftest import FAST_SETTINGS, SIM_BASE_URL, Sim, write_sim_config

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
    return duckdb.sql(sql.format(**views)).fetchall()


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


async def test_history_state_starts_with_a_full_walk_until_one_completes(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    from pipelines.ingest.state import read_history_state

    sim = make_sim(n_accounts=1, days=120)
    config = sim_config(sim, tmp_path)
    storage = LakeStorage(config.lake)
    assert read_history_state(storage, ["sim001"])["sim001"].since is None
    await run(sim, config)
    state = read_history_state(storage, ["sim001"])["sim001"]
    assert state.since is not None and state.since >= sim.pool.today - timedelta(days=30)
    rows = len(sim.pool.earn_history_rows(sim.pool.accounts[0]))
    assert state.hint is not None and state.hint.total_count == rows > 120


async def test_without_a_storage_the_run_opens_the_lake_itself(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim()
    config = sim_config(sim, tmp_path)
    report = await ingest(config, config.accounts, None, client=sim.client(FAST_SETTINGS))
    assert not report.failed and report.rows("earn_history") > 0
    assert observations(config)  # committed under config.lake


async def test_a_lake_that_cannot_be_opened_stops_the_run_with_its_own_error(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim()
    config = sim_config(sim, tmp_path)
    config = dataclasses.replace(config, lake="nosuch://bucket/lake")
    with pytest.raises(Exception, match="Unrecognized filesystem type") as raised:
        await ingest(config, config.accounts, None, client=sim.client(FAST_SETTINGS))
    assert not isinstance(raised.value, BaseExceptionGroup)


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
