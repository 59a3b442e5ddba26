"""One backfill of every account on the deployment, watched until the warehouse is built."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg

from harness.cluster import LIMITER_ENV, Cluster
from poolbooks.demo_config import write_sim_config
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app

TERMINAL = {
    dg.DagsterRunStatus.SUCCESS,
    dg.DagsterRunStatus.FAILURE,
    dg.DagsterRunStatus.CANCELED,
}


@contextmanager
def simulated_pool(
    folder: Path, accounts: int, days: int, rate: float, latency_ms: int = 0
) -> Iterator[tuple[RunningSimulator, Path, dict[str, str]]]:
    """The simulator on loopback and a config for its accounts run the production way.

    The chain (Esplora) is served by a second simulator on the same pool, so the first one's
    counters (requests in flight, 429s) are the pool API's alone.
    """
    pool = SimulatedPool(n_accounts=accounts, days=days)
    faults = parse_faults(f"rate={rate:g},latency={latency_ms}ms")
    with (
        running_simulator(create_app(pool, faults)) as sim,
        running_simulator(create_app(pool)) as chain,
    ):
        settings = (
            f'esplora_url = "{chain.base_url}/esplora"\n'
            f"[client]\nrequests_per_second = {rate:g}\nconcurrency = 1\n"
            f'limiter_url_env = "{LIMITER_ENV}"\n'
            '[dagster]\nexecutor = "celery"\npartitions_per_run = 5\n'
            'snapshot_cron = "* * * * *"\nretries = 1\nretry_delay_seconds = 1\n'
        )
        path, keys = write_sim_config(folder, pool, sim.base_url, settings)
        yield sim, path, keys


@dataclass
class BackfillResult:
    backfill_id: str
    seconds: float  # from launch until every backfill run finished
    runs: list[dg.DagsterRun]


def launch_backfill(cluster: Cluster, first: str, last: str) -> str:
    out = cluster.dagster(
        "job", "backfill", "-w", "workspace.yaml", "-j", "earn_history_job",
        "--from", first, "--to", last, "--noprompt",
    )  # fmt: skip
    found = re.search(r"Launched backfill job `([^`]+)`", out)
    assert found, out
    return found.group(1)


def wait_for_backfill(
    cluster: Cluster, backfill_id: str, started: float, timeout: float
) -> BackfillResult:
    """Wait until every run of the backfill finished; `started` is when it was launched."""
    with cluster.instance() as instance:
        while True:
            runs = list(instance.get_runs(dg.RunsFilter(tags={"dagster/backfill": backfill_id})))
            if runs and all(run.status in TERMINAL for run in runs):
                return BackfillResult(backfill_id, time.monotonic() - started, runs)
            assert time.monotonic() - started < timeout, progress(cluster, runs)
            time.sleep(1)


def wait_for(cluster: Cluster, what: str, check: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with cluster.instance() as instance:
        while not check(instance):
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(1)


def progress(cluster: Cluster, runs: list[dg.DagsterRun]) -> str:
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.status.value] = counts.get(run.status.value, 0) + 1
    return f"backfill not finished: {counts}\n{cluster.log('daemon')[-4000:]}"
