"""Secrets: a canary key through every command and failure path, httpx and Dagster logging at
DEBUG, a real Dagster run with its event log and compute logs on disk: the canary, raw or
URL-encoded, is in no file and no output. And files never become world-writable."""

from __future__ import annotations

import functools
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from poolbooks.demo_config import write_sim_config
from poolbooks.redaction import secret_forms
from poolbooks.simulator.accounts import SIM_FIRST_PUID
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app

pytestmark = [pytest.mark.adversarial, pytest.mark.slow]
BIN = Path(sys.executable).parent
CANARY = "canary+K3y/all=over&the:place"
WRONG = "wrong+canary/key=="
FORMS = sorted(form for key in (CANARY, WRONG) for form in secret_forms(key))
FAULTY = "5xx=0.1,429=0.05,retry_after=0,timeout=0.05,hang=1,reset=0.05,err_no=0.05,badjson=0.05"
IN_PROCESS = '{"execution": {"config": {"in_process": {}}}}'
DAGSTER_YAML = """
python_logs:
  python_log_level: DEBUG
  managed_python_loggers: [httpx, httpcore, aiohttp, poolbooks]
telemetry:
  enabled: false
"""


@pytest.fixture(scope="module")
def canary_sim() -> Iterator[RunningSimulator]:
    pool = SimulatedPool(n_accounts=3, days=90, keys={SIM_FIRST_PUID: CANARY})
    with running_simulator(create_app(pool)) as running:
        yield running


def set_faults(sim: RunningSimulator, spec: str) -> None:
    httpx.post(sim.base_url + "/_sim/faults", json={"spec": spec})


def run(args: list[str], env: dict[str, str], cwd: Path, outputs: list[str]) -> int:
    result = subprocess.run(
        args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    outputs += [result.stdout, result.stderr]
    return result.returncode


def test_the_canary_is_nowhere(canary_sim: RunningSimulator, tmp_path: Path) -> None:
    extra = (
        f'esplora_url = "{canary_sim.base_url}/esplora"\n'
        "[client]\nrequests_per_second = 500\nmax_attempts = 2\ntimeout_seconds = 0.5\n"
        "backoff_seconds = 0.01\n[dagster]\nretries = 1\nretry_delay_seconds = 0\n"
    )
    config, environ = write_sim_config(tmp_path, canary_sim.state.pool, canary_sim.base_url, extra)
    env = {**os.environ, **environ, "POOLBOOKS_KEY_SIM001": CANARY, "POOLBOOKS_KEY_SIM002": WRONG}
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML)
    env.update({"DAGSTER_HOME": str(home), "POOLBOOKS_CONFIG": str(config)})
    pb = [str(BIN / "poolbooks"), "--debug"]
    outputs: list[str] = []
    codes = {}

    set_faults(canary_sim, FAULTY)  # every failure path, and sim002's key is refused
    codes["ingest faulty"] = run([*pb, "ingest", "--config", str(config)], env, tmp_path, outputs)
    codes["snapshot faulty"] = run([*pb, "snapshot"], env, tmp_path, outputs)
    dagster = [str(BIN / "dagster"), "asset", "materialize", "-m", "poolbooks_dagster.location"]
    dagster += ["--config-json", IN_PROCESS]  # one process: the same logs, without a process a step
    select = ["--select", "earn_history,earn_history_walks", "--partition-range", "sim001...sim003"]
    codes["dagster faulty"] = run([*dagster, *select], env, tmp_path, outputs)
    set_faults(canary_sim, "")
    codes["ingest"] = run([*pb, "ingest"], env, tmp_path, outputs)
    codes["dagster"] = run(
        [
            *dagster,
            "--select",
            "account_info,earn_stats,hashrate,worker_stats,pool_stats",
            "--partition",
            "sim001",
        ],
        env,
        tmp_path,
        outputs,
    )
    for command in (
        ["build"],
        ["reconcile", "--onchain"],
        ["export", "tax", "--format", "koinly", "--year", "2026", "--output", "k.csv"],
        ["export", "tax", "--format", "generic", "--year", "2026", "--output", "g.csv"],
        ["export", "ledger", "--year", "2026", "--output", "l.beancount"],
        ["report", "--output", "report.html"],
        ["compact"],
        ["reparse"],  # reads every archived page again, the failing ones included
        ["accounts"],
    ):
        codes[command[0]] = run([*pb, *command], env, tmp_path, outputs)

    assert codes["ingest faulty"] == 3 and codes["ingest"] == 3  # sim002 refused, others land
    assert codes["dagster faulty"] != 0
    assert codes["build"] == 0 and codes["report"] == 0 and codes["compact"] == 0
    assert any("err_no 20001" in out for out in outputs)
    assert any("gave up after 2 attempts" in out for out in outputs)
    assert canary_sim.state.requests > 100

    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".parquet" for p in files)
    dagster_files = [p for p in home.rglob("*") if p.is_file()]
    assert any(b"HTTP Request: GET" in p.read_bytes() for p in dagster_files)  # DEBUG was on
    assert any("compute_logs" in str(p) or "storage" in str(p) for p in files)
    assert (tmp_path / "report.html").exists() and (tmp_path / "k.csv").exists()
    for path in files:
        data = path.read_bytes()
        for form in FORMS:
            assert form.encode() not in data, (path, form)
    for output in outputs:
        for form in FORMS:
            assert form not in output, form


def test_lake_and_warehouse_follow_the_umask_and_are_never_world_writable(
    canary_sim: RunningSimulator, tmp_path: Path
) -> None:
    config, environ = write_sim_config(
        tmp_path, canary_sim.state.pool, canary_sim.base_url, "[client]\nrequests_per_second = 500"
    )
    env = {**os.environ, **environ, "POOLBOOKS_KEY_SIM001": CANARY}
    for umask, allowed in ((0o000, 0o775), (0o002, 0o775), (0o077, 0o700)):
        folder = tmp_path / f"umask{umask:03o}"
        folder.mkdir()
        text = config.read_text().replace('"data/', f'"{folder.name}/data/')
        local = folder / "poolbooks.toml"
        local.write_text(text.replace(f'"{folder.name}/data/', '"data/'))
        for command in (["ingest"], ["build"]):
            subprocess.run(
                [str(BIN / "poolbooks"), *command, "--config", str(local)],
                env=env,
                check=True,
                capture_output=True,
                preexec_fn=functools.partial(os.umask, umask),
            )
        made = [p for p in (folder / "data").rglob("*")]
        assert any(p.name == "warehouse.duckdb" for p in made)
        for path in made:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode & stat.S_IWOTH == 0, (path, oct(mode))
            assert mode & ~allowed == 0, (path, oct(mode), oct(umask))
