"""The reparse job: Dagster runs `poolbooks reparse` and records the lake assets it rewrote."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from poolbooks.cli import app
from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.lake import writer
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api import endpoints
from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.errors import MalformedData
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import running_simulator
from poolbooks.simulator.server import create_app
from poolbooks_dagster.definitions import build_definitions
from poolbooks_dagster.pool.reparse import reparse_job
from poolbooks_dagster.pool.resources import pool_resources
from poolbooks_dagster.warehouse.resources import WarehouseResource


@pytest.fixture
def ingested(tmp_path: Path) -> Config:
    pool = SimulatedPool(n_accounts=2, days=90)
    with running_simulator(create_app(pool)) as sim:
        path, environ = write_sim_config(tmp_path, pool, sim.base_url)
        assert (
            CliRunner().invoke(app, ["ingest", "--config", str(path)], env=environ).exit_code == 0
        )
    return load_config(path, environ)


def resources(config: Config) -> dict[str, Any]:
    """What the job needs: the lake and the config, no key (none is set here)."""
    return {
        "lake": pool_resources(config)["lake"],
        "warehouse": WarehouseResource(config_path=str(config.source)),
    }


def earnings(config: Config) -> list[tuple[Any, ...]]:
    return duckdb.execute(
        f"select account, date, payment_tx, earnings_sat from "
        f"read_parquet('{config.lake}/earn_history/*/*.parquet') order by all"
    ).fetchall()


def test_the_job_rewrites_what_an_old_parser_got_wrong_and_records_it(ingested: Config) -> None:
    right = earnings(ingested)
    path = next(Path(ingested.lake).glob("earn_history/*/*.parquet"))
    relation = duckdb.sql(
        f"select * replace (earnings_sat * 2 as earnings_sat) from read_parquet('{path}')"
    )
    assert relation is not None  # a select has a result
    off = relation.to_arrow_table()
    writer.write_parquet(LakeStorage(ingested.lake), str(path), off)
    assert build_definitions(ingested).get_job_def("reparse_job") is not None
    result = reparse_job.execute_in_process(
        resources=resources(ingested),
        run_config={"ops": {"reparse_lake_op": {"config": {"accounts": []}}}},
    )
    assert result.success
    assert earnings(ingested) == right
    recorded = {
        (m.asset_key.to_user_string(), m.partition, m.metadata["changed"].value)
        for m in result.asset_materializations_for_node("reparse_lake_op")
    }
    changed = sum(1 for row in right if row[3] != 0)  # doubling 0 changes nothing
    assert {(key, part) for key, part, _ in recorded} == {
        ("earn_history", "sim001"),
        ("earn_history", "sim002"),
    }
    assert {value for *_, value in recorded} == {changed}


def test_the_job_fails_when_pages_still_do_not_parse(
    ingested: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(raw: bytes, where: Where) -> Any:
        raise MalformedData(where.account, where.endpoint, "user_id", "refused today")

    endpoint = endpoints.SNAPSHOT_ENDPOINTS["account-info"]
    monkeypatch.setitem(
        endpoints.SNAPSHOT_ENDPOINTS, "account-info", dataclasses.replace(endpoint, parse=refuse)
    )
    result = reparse_job.execute_in_process(
        resources=resources(ingested),
        run_config={"ops": {"reparse_lake_op": {"config": {"accounts": ["sim001"]}}}},
        raise_on_error=False,
    )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "1 archived pages still do not parse" in str(failure.event_specific_data)
