"""The `prices` asset materialized for real against the simulator on loopback, its freshness
check passing and failing as it should, and its job and daily schedule in the Definitions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.lake.storage import LakeStorage
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app
from poolbooks_dagster.definitions import build_definitions
from poolbooks_dagster.pool.resources import LakeResource
from poolbooks_dagster.prices.assets import prices
from poolbooks_dagster.prices.checks import CHECK_NAME, prices_fresh, prices_freshness
from poolbooks_dagster.prices.resources import PriceSourceResource
from poolbooks_dagster.warehouse.resources import WarehouseResource

FAST = "[client]\nrequests_per_second = 500\nmax_attempts = 2\nbackoff_seconds = 0.01\n"


@contextmanager
def served(now: datetime, faults: str = "") -> Iterator[RunningSimulator]:
    pool = SimulatedPool(n_accounts=3, days=30, now=now)
    with running_simulator(create_app(pool, parse_faults(faults))) as sim:
        yield sim


@pytest.fixture
def live_sim() -> Iterator[RunningSimulator]:
    """The market at the wall clock, as the asset and its check read it."""
    with served(datetime.now(UTC)) as sim:
        yield sim


def configured(sim: RunningSimulator, folder: Path, since: str = "") -> Config:
    table = f'[prices]\nbase_url = "{sim.base_url}"\nrequests_per_second = 500\n{since}'
    path, environ = write_sim_config(folder, sim.state.pool, sim.base_url, FAST + table)
    return load_config(path, environ, require_keys=False)


def resources(config: Config) -> dict[str, object]:
    return {
        "warehouse": WarehouseResource(config_path=str(config.source)),
        "lake": LakeResource(location=config.lake),
        "price_source": PriceSourceResource(),
    }


def materialize(config: Config) -> dg.ExecuteInProcessResult:
    return dg.materialize([prices, prices_fresh], resources=resources(config), raise_on_error=False)


def freshness(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.check_name == CHECK_NAME
    return evaluation


def test_the_asset_fetches_every_coin_into_the_lake_and_its_check_passes(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    today = live_sim.state.pool.now.date()
    config = configured(live_sim, tmp_path, f"since = {today - timedelta(days=9)}\n")
    result = materialize(config)
    assert result.success
    (event,) = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["rows"].value == 20 and metadata["dagster/row_count"].value == 20
    assert metadata["requests"].value == 2
    assert freshness(result).passed
    rows = duckdb.execute(
        f"select coin, count(*), count(*) filter (where final) "
        f"from read_parquet('{config.lake}/prices/*/*.parquet') group by coin order by coin"
    ).fetchall()
    assert rows == [("BCH", 10, 9), ("BTC", 10, 9)]


def test_the_check_fails_naming_the_coins_without_yesterdays_price(tmp_path: Path) -> None:
    behind = datetime.now(UTC) - timedelta(days=3)  # the source has nothing after that
    with served(behind) as sim:
        config = configured(sim, tmp_path, f"since = {behind.date() - timedelta(days=5)}\n")
        result = materialize(config)
    assert result.success  # days the source lacks are gaps, not failures
    check = freshness(result)
    assert not check.passed
    assert check.metadata["missing_coins"].value == "BCH, BTC"


def test_the_check_fails_on_a_lake_that_is_not_there_yet(tmp_path: Path) -> None:
    check = prices_freshness(
        ["BTC"], "USD", lambda: LakeStorage(str(tmp_path / "nothing")), datetime.now(UTC)
    )
    assert not check.passed and check.metadata["missing_coins"].value == "BTC"


def test_a_source_down_fails_the_step(tmp_path: Path) -> None:
    with served(datetime.now(UTC), "5xx=1") as sim:
        config = configured(sim, tmp_path)
        result = materialize(config)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "from coinbase: HTTP 5" in str(failure.step_failure_data.error)


def test_the_definitions_hold_the_asset_its_check_and_a_daily_schedule() -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "poolbooks.toml"
    defs = build_definitions(load_config(fixture, {}, require_keys=False))
    graph = defs.resolve_asset_graph()
    assert dg.AssetKey("prices") in graph.get_all_asset_keys()
    assert any(key.name == CHECK_NAME for key in graph.asset_check_keys)
    schedule = defs.resolve_schedule_def("prices_schedule")
    assert schedule.cron_schedule == "15 0 * * *" and schedule.job_name == "prices_job"
    assert defs.resolve_job_def("prices_job") is not None
