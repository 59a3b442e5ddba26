"""After the demo, its Dagster instance holds every asset materialized on every partition and
every check evaluated, with the metadata a run records: the UI opens on a filled catalog."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from poolbooks.config import load_config
from poolbooks.demo import DemoResult
from poolbooks_dagster.definitions import build_definitions
from tests.assets.conftest import not_made

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def defs(recorded_demo: DemoResult) -> dg.Definitions:
    return build_definitions(load_config(recorded_demo.config, {}, require_keys=False))


def test_every_asset_and_partition_is_materialized(
    recorded_demo: DemoResult, defs: dg.Definitions
) -> None:
    graph = defs.resolve_asset_graph()
    with dg.DagsterInstance.from_config(str(recorded_demo.dagster_home)) as instance:
        for key in graph.get_all_asset_keys():
            if key.to_user_string() in not_made(recorded_demo):
                continue
            assert instance.get_latest_materialization_event(key) is not None, key
            partitions = graph.get(key).partitions_def
            if partitions is not None:
                expected = set(partitions.get_partition_keys())
                assert instance.get_materialized_partitions(key) == expected, key
    assert {"sim001", "sim005"} <= expected  # accounts are the partitions


def test_every_check_has_a_result_and_the_data_tests_passed(
    recorded_demo: DemoResult, defs: dg.Definitions
) -> None:
    graph = defs.resolve_asset_graph()
    assert len(graph.asset_check_keys) >= 12
    with dg.DagsterInstance.from_config(str(recorded_demo.dagster_home)) as instance:
        for check in graph.asset_check_keys:
            if check.asset_key.to_user_string() in not_made(recorded_demo):
                continue
            record = instance.get_latest_asset_check_evaluation_record(check)
            assert record is not None, check
            assert record.event is not None
            evaluation = record.event.asset_check_evaluation
            assert evaluation is not None and evaluation.passed, check


def test_row_counts_are_the_tables_and_datasets(recorded_demo: DemoResult) -> None:
    def recorded(instance: dg.DagsterInstance, name: str) -> object:
        event = instance.get_latest_materialization_event(dg.AssetKey(name))
        assert event is not None and event.asset_materialization is not None
        return event.asset_materialization.metadata["dagster/row_count"].value

    lake = recorded_demo.folder / "data" / "lake"
    with (
        dg.DagsterInstance.from_config(str(recorded_demo.dagster_home)) as instance,
        duckdb.connect(str(recorded_demo.warehouse), read_only=True) as con,
    ):
        for name in ("daily_earnings", "payouts", "stg_hashrate", "seed_block_subsidy"):
            ((rows,),) = con.execute(f"select count(*) from {name}").fetchall()
            assert recorded(instance, name) == rows, name
        for name in ("earn_history", "hashrate", "onchain_tx", "prices"):
            files = f"{lake}/{name}/**/*.parquet"
            ((rows,),) = con.execute(f"select count(*) from read_parquet('{files}')").fetchall()
            assert recorded(instance, name) == rows > 0, name


def test_the_instance_is_configured_in_its_folder_without_telemetry(
    recorded_demo: DemoResult,
) -> None:
    home = recorded_demo.dagster_home
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert not instance.telemetry_enabled
        assert instance.root_directory == str(home)
    assert (home / "history" / "runs.db").is_file()  # SQLite, in the demo's folder
