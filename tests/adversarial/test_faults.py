"""Faults: with a fifth of all requests failing in every way, the warehouse is the same as a
fault-free run's, table by table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harness.warehouse_rows import mart_names, table_rows
from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import SIM_BASE_URL, Sim

pytestmark = [pytest.mark.anyio, pytest.mark.adversarial]
FAULTS = (
    "5xx=0.05,429=0.03,retry_after=1,timeout=0.03,hang=2,reset=0.03,err_no=0.02,"
    "badjson=0.02,slow=0.02"
)
# A fifth of requests fail; twelve attempts make a request fail for good once in 2.4e8.
PATIENT = ClientSettings(
    requests_per_second=2000,
    concurrency=16,
    timeout_seconds=0.5,
    max_attempts=12,
    backoff_seconds=0.01,
    backoff_cap_seconds=0.05,
)


async def ingest_twice(sim: Sim, folder: Path) -> Config:
    path, environ = write_sim_config(folder, sim.pool, SIM_BASE_URL)
    config = load_config(path, environ)
    storage = LakeStorage(config.lake)
    first = await ingest(config, config.accounts, storage, client=sim.client(PATIENT))
    sim.pool.advance(days=1)
    second = await ingest(config, config.accounts, storage, client=sim.client(PATIENT))
    assert first.failed == [] and second.failed == []
    assert build_warehouse(config).published
    return config


async def test_a_fifth_of_requests_failing_changes_no_table(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    clean = make_sim(n_accounts=20, days=150)
    faulty = make_sim(FAULTS, n_accounts=20, days=150)
    clean_config = await ingest_twice(clean, tmp_path / "clean")
    faulty_config = await ingest_twice(faulty, tmp_path / "faulty")
    injected = faulty.state.faults_injected
    assert sum(injected.values()) >= 0.1 * faulty.state.requests
    assert {"5xx", "429", "timeout", "reset", "err_no", "badjson", "slow"} <= set(injected)
    for name in mart_names():
        assert table_rows(faulty_config.warehouse, name) == table_rows(
            clean_config.warehouse, name
        ), name
    print(
        f"faults injected: {sum(injected.values())} of {faulty.state.requests} requests {injected}"
    )
