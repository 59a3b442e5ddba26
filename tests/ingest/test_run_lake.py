"""A run's lake: opened by the run itself when given none, or the run stopped by its error."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from poolbooks.ingest.run import ingest
from tests.conftest import FAST_SETTINGS, Sim
from tests.ingest.test_run import observations, sim_config

pytestmark = pytest.mark.anyio


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
