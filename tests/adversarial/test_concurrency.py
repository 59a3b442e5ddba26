"""Concurrency: two ingests, a build and a Dagster run at once corrupt nothing and lose
nothing; readers keep reading the warehouse all the while."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage
from poolbooks.report.data import read_report_data
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app

pytestmark = [pytest.mark.adversarial, pytest.mark.slow]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    with running_simulator(create_app(SimulatedPool(n_accounts=6, days=300))) as running:
        yield running


def test_writers_together_and_readers_throughout(sim: RunningSimulator, tmp_path: Path) -> None:
    extra = "[client]\nrequests_per_second = 300\n[dagster]\nretries = 0\n"
    config_path, environ = write_sim_config(tmp_path, sim.state.pool, sim.base_url, extra)
    env = {**os.environ, **environ, "POOLBOOKS_CONFIG": str(config_path)}
    home = tmp_path / "dagster_home"
    home.mkdir()
    env["DAGSTER_HOME"] = str(home)
    poolbooks = [str(BIN / "poolbooks")]
    subprocess.run([*poolbooks, "ingest"], env=env, check=True, capture_output=True)
    subprocess.run([*poolbooks, "build"], env=env, check=True, capture_output=True)
    config = load_config(config_path, environ)

    writers = [
        [*poolbooks, "ingest", "--full"],
        [*poolbooks, "ingest"],
        [*poolbooks, "build"],
        [
            str(BIN / "dagster"),
            "asset",
            "materialize",
            "-m",
            "poolbooks_dagster.location",
            "--select",
            "account_info,earn_stats,hashrate,worker_stats,pool_stats",
            "--partition-range",
            "sim001...sim006",
            "--config-json",  # steps in one process: thirty step processes would only be slow
            '{"execution": {"config": {"in_process": {}}}}',
        ],
    ]
    processes = [
        subprocess.Popen(w, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for w in writers
    ]
    build = processes[2]
    seen: list[tuple[datetime, bool]] = []  # (the build read, whether the build was running)

    def read() -> None:
        running = build.poll() is None
        data = read_report_data(config.warehouse)  # what the report and notebooks do
        assert data.days.height > 0
        with duckdb.connect(str(config.warehouse), read_only=True) as con:
            (rows,) = con.execute("select count(*) from daily_earnings").fetchall()[0]
            assert rows == 6 * 300
            ((built_at,),) = con.execute("select max(built_at) from _poolbooks_build").fetchall()
        seen.append((built_at, running))

    while any(p.poll() is None for p in processes):
        read()
        time.sleep(0.05)
    read()
    for process, command in zip(processes, writers, strict=True):
        _out, err = process.communicate()
        assert process.returncode == 0, (command, err.decode()[-2000:])
    builds = list(dict.fromkeys(built for built, _ in seen))
    assert len(builds) == 2  # the old warehouse, then the new one: reads went on across the swap
    assert sum(running for _, running in seen) >= 3  # and while the build was running
    assert [built for built, _ in seen] == sorted(built for built, _ in seen)  # never back

    subprocess.run([*poolbooks, "build"], env=env, check=True, capture_output=True)
    truth = {
        (a.name, d.date): (d.earnings_sat, d.paid_amount_sat, d.payment_tx)
        for a in sim.state.pool.accounts
        for d in sim.state.pool.history(a)
    }
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        got = {
            (r[0], r[1]): r[2:]
            for r in con.execute(
                "select account, date, earnings_sat, paid_amount_sat, payment_tx "
                "from daily_earnings"
            ).fetchall()
        }
        (findings,) = con.execute("select count(*) from reconciliation_issues").fetchall()[0]
    assert got == truth and findings == 0
    assert LakeStorage(config.lake).temporary_files() == []
    # every writer's snapshots landed once: the first ingest, both ingests and the Dagster run
    for dataset in ("account_info", "earn_stats", "hashrate", "worker_stats"):
        files = readable_files(LakeStorage(config.lake), dataset).paths
        counts = duckdb.read_parquet(files).aggregate("count(*), count(distinct run_id)")
        assert counts.fetchall() == [(4 * 6, 4)], dataset
