"""Load: the client never asks faster than the pool's limit, so the pool never has to refuse
it, however many accounts ask at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from tests.conftest import SIM_BASE_URL, Sim

pytestmark = [pytest.mark.anyio, pytest.mark.adversarial]


async def test_forty_accounts_at_once_stay_under_the_pools_limit(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim("rate=40", n_accounts=40, days=30)
    path, environ = write_sim_config(tmp_path, sim.pool, SIM_BASE_URL)
    config = load_config(path, environ)
    settings = ClientSettings(requests_per_second=40, concurrency=32, max_attempts=3)
    report = await ingest(
        config, config.accounts, LakeStorage(config.lake), client=sim.client(settings)
    )
    assert report.failed == []
    assert sim.state.requests >= 40 * 5  # history and four snapshots per account
    assert sim.state.rate_limited == 0
