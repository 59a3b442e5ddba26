"""The pool's rate limit holds across processes: two `poolbooks ingest` processes, each with its
own client, share one Redis-kept rate; without it they exceed the pool's limit together."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cluster import LIMITER_ENV
from poolbooks.demo_config import write_sim_config
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import running_simulator
from poolbooks.simulator.server import create_app

POOLBOOKS = str(Path(sys.executable).with_name("poolbooks"))
POOL_RATE = 8  # requests per second the simulated pool allows from everyone together


def two_ingest_processes(tmp_path: Path, limiter_url: str | None) -> dict[str, int]:
    """Both processes may ask POOL_RATE per second: together twice the pool's limit."""
    pool = SimulatedPool(n_accounts=6, days=160)
    with running_simulator(create_app(pool, parse_faults(f"rate={POOL_RATE}"))) as sim:
        client = f"[client]\nrequests_per_second = {POOL_RATE}\nconcurrency = 2\n"
        if limiter_url:
            client += f'limiter_url_env = "{LIMITER_ENV}"\n'
        path, keys = write_sim_config(tmp_path, pool, sim.base_url, client)
        env = {**os.environ, **keys, LIMITER_ENV: limiter_url or ""}
        names = [account.name for account in pool.accounts]
        workers = [
            subprocess.Popen(
                [POOLBOOKS, "ingest", "--config", str(path)]
                + [arg for name in half for arg in ("--account", name)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for half in (names[:3], names[3:])
        ]
        for worker in workers:
            _out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err.decode()
        return sim.state.snapshot()


@pytest.mark.parametrize("shared", [True, False], ids=["shared-limiter", "per-process"])
def test_two_processes_stay_under_the_pool_limit_only_with_the_shared_limiter(
    tmp_path: Path, redis_url: str, shared: bool
) -> None:
    stats = two_ingest_processes(tmp_path, f"{redis_url}/2" if shared else None)
    assert stats["requests"] > 4 * POOL_RATE  # long enough for the rate to matter
    if shared:
        assert stats["rate_limited"] == 0
    else:
        assert stats["rate_limited"] > 0
