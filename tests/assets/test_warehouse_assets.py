"""Warehouse assets in Dagster: a model per asset, data tests as blocking checks."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app
from poolbooks.warehouse.project import SQL_DIR, load_project
from poolbooks_dagster.esplora.assets import onchain_tx
from poolbooks_dagster.pool.assets import ingestion_assets
from poolbooks_dagster.pool.partitions import account_partitions, account_ranges, range_tags
from poolbooks_dagster.pool.resources import pool_resources
from poolbooks_dagster.warehouse.assets import WarehouseBuildConfig, warehouse_assets
from poolbooks_dagster.warehouse.resources import WarehouseResource


@pytest.fixture
def live_sim() -> Iterator[RunningSimulator]:
    with running_simulator(create_app(SimulatedPool(n_accounts=2, days=60))) as running:
        yield running


@pytest.fixture
def config(live_sim: RunningSimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    extra = f'esplora_url = "{live_sim.base_url}/esplora"\n[client]\nrequests_per_second = 500'
    path, environ = write_sim_config(tmp_path, live_sim.state.pool, live_sim.base_url, extra)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return load_config(path, environ)


def resources(config: Config) -> dict[str, object]:
    return {
        **pool_resources(config),
        "warehouse": WarehouseResource(config_path=str(config.source)),
    }


def ingest_all(config: Config) -> None:
    partitions = account_partitions(config)
    result = dg.materialize(
        ingestion_assets(partitions),
        resources=resources(config),
        tags=range_tags(account_ranges(partitions)[0]),
    )
    assert result.success


def test_every_model_materializes_and_every_data_test_passes(config: Config) -> None:
    ingest_all(config)
    project = load_project()
    result = dg.materialize(
        [*warehouse_assets(project), onchain_tx],
        resources=resources(config),
        selection=dg.AssetSelection.all(),
    )
    assert result.success
    keys = {
        m.materialization.asset_key.to_user_string()
        for m in result.get_asset_materialization_events()
    }
    kept = {name for name, model in project.models.items() if model.is_published}
    assert keys == kept | {"onchain_tx"}
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        for event in result.get_asset_materialization_events():
            name = event.materialization.asset_key.to_user_string()
            if name in kept:  # tables and views alike
                ((rows,),) = con.execute(f"select count(*) from {name}").fetchall()
                assert event.materialization.metadata["dagster/row_count"].value == rows, name
    checks = result.get_asset_check_evaluations()
    assert {c.check_name for c in checks} == set(project.tests)
    assert all(c.passed for c in checks)
    issues = next(
        m.materialization
        for m in result.get_asset_materialization_events()
        if m.materialization.asset_key.to_user_string() == "reconciliation_issues"
    )
    assert issues.metadata["findings"].value == 0
    onchain = next(
        m.materialization
        for m in result.get_asset_materialization_events()
        if m.materialization.asset_key.to_user_string() == "onchain_tx"
    )
    confirmed = onchain.metadata["confirmed"].value
    assert isinstance(confirmed, int)
    assert onchain.metadata["checked"].value == confirmed > 0
    with duckdb.connect() as con:  # every row the lake holds, read without the project's reader
        files = f"{config.lake}/onchain_tx/**/*.parquet"
        ((lake_rows,),) = con.execute(f"select count(*) from read_parquet('{files}')").fetchall()
    assert onchain.metadata["dagster/row_count"].value == lake_rows == confirmed


def test_model_assets_depend_on_what_their_sql_reads() -> None:
    (build,) = warehouse_assets()
    deps = {
        key.to_user_string(): {d.to_user_string() for d in build.asset_deps[key]}
        for key in build.keys
    }
    assert deps["stg_earn_history_observations"] == {"earn_history"}
    assert deps["payout_onchain"] == {"payouts", "stg_onchain_tx"}
    # int_account_totals is a temporary table of the build: what it reads stands in for it
    assert deps["payout_reconciliation"] == {
        "reconciliation_issues",
        "stg_earn_history_observations",
        "stg_earn_stats",
    }
    assert build.op.pool == "warehouse"  # one warehouse writer at a time


def test_a_failing_data_test_blocks_what_comes_after(config: Config, tmp_path: Path) -> None:
    ingest_all(config)
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql)
    (sql / "tests" / "assert_no_earnings_at_all.sql").write_text(
        "select * from daily_earnings where earnings_sat > 0"
    )
    project = load_project(sql)
    ran: list[str] = []

    @dg.asset(deps=["payout_reconciliation"])
    def downstream_export() -> None:
        ran.append("export")

    result = dg.materialize(
        [*warehouse_assets(project), downstream_export],
        resources=resources(config),
        raise_on_error=False,
    )
    failed = [c for c in result.get_asset_check_evaluations() if not c.passed]
    assert [c.check_name for c in failed] == ["assert_no_earnings_at_all"]
    assert ran == []
    assert not result.success and result.get_asset_materialization_events() == []
    assert not config.warehouse.exists()  # nothing was published, nothing claimed


def test_a_build_that_would_lose_an_account_fails_its_step_and_publishes_nothing(
    config: Config,
) -> None:
    ingest_all(config)
    assert dg.materialize(warehouse_assets(), resources=resources(config)).success
    assert config.source is not None
    text = config.source.read_text()
    config.source.write_text(text.replace('lake = "data/lake"', 'lake = "data/one-account"'))
    moved = load_config(config.source, {}, require_keys=False)
    ingested = dg.materialize(
        ingestion_assets(account_partitions(moved)),
        resources=resources(moved),
        partition_key="sim001",
    )
    assert ingested.success
    before = config.warehouse.read_bytes()

    result = dg.materialize(warehouse_assets(), resources=resources(moved), raise_on_error=False)
    assert not result.success and result.get_asset_materialization_events() == []
    (failure,) = result.get_step_failure_events()
    assert failure.step_failure_data.error is not None
    assert "build would lose 1 of 2 accounts (sim002)" in failure.step_failure_data.error.message
    assert config.warehouse.read_bytes() == before

    allowed = dg.materialize(
        warehouse_assets(),
        resources=resources(moved),
        run_config=dg.RunConfig(ops={"warehouse_build": WarehouseBuildConfig(allow_shrink=True)}),
    )
    assert allowed.success
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        accounts = con.execute("select distinct account from daily_earnings").fetchall()
    assert accounts == [("sim001",)]


def test_a_build_after_an_ingest_updates_and_says_what_it_recomputed(config: Config) -> None:
    ingest_all(config)
    assets = warehouse_assets(load_project())
    first = dg.materialize(assets, resources=resources(config))
    ingest_all(config)  # new snapshots and a re-walk of the recent days
    second = dg.materialize(assets, resources=resources(config))
    full = dg.materialize(
        assets,
        resources=resources(config),
        run_config={"ops": {"warehouse_build": {"config": {"full": True}}}},
    )

    def metadata(result: dg.ExecuteInProcessResult) -> dict[str, object]:
        (event,) = [
            e
            for e in result.get_asset_materialization_events()
            if e.materialization.asset_key.to_user_string() == "daily_earnings"
        ]
        return {k: v.value for k, v in event.materialization.metadata.items()}

    assert metadata(first)["build_mode"] == "full"
    assert metadata(first)["full_reason"] == "no published warehouse that recorded its build"
    updated = metadata(second)
    assert updated["build_mode"] == "incremental", updated.get("full_reason")
    assert updated["recomputed_accounts"] == 2  # both accounts' newest days
    assert isinstance(updated["recomputed_from"], str)
    assert isinstance(updated["recomputed_rows"], int) and updated["recomputed_rows"] >= 2
    assert metadata(full)["full_reason"] == "asked for (--full)"
