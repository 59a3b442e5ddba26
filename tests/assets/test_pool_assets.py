"""The Dagster code location: ingestion assets, partitions, schedules, checks, no leaked key."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage
from poolbooks.redaction import secret_forms
from poolbooks.simulator.accounts import SIM_FIRST_PUID
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app
from poolbooks_dagster.definitions import build_definitions
from poolbooks_dagster.pool.assets import ingestion_assets
from poolbooks_dagster.pool.checks import freshness_checks
from poolbooks_dagster.pool.partitions import account_partitions, account_ranges, range_tags
from poolbooks_dagster.pool.resources import pool_resources

CANARY = "dagster-canary+Key/9=="
FAST = "[client]\nrequests_per_second = 500\nmax_attempts = 2\nbackoff_seconds = 0.01\n"
QUICK_RETRY = dg.RetryPolicy(max_retries=1, delay=0)


@pytest.fixture
def live_sim() -> Iterator[RunningSimulator]:
    pool = SimulatedPool(n_accounts=3, days=120, keys={SIM_FIRST_PUID: CANARY})
    with running_simulator(create_app(pool)) as running:
        yield running


@pytest.fixture
def config(live_sim: RunningSimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    path, environ = write_sim_config(tmp_path, live_sim.state.pool, live_sim.base_url, FAST)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return load_config(path, environ)


def materialize_all(
    config: Config, instance: dg.DagsterInstance | None = None, **kwargs: object
) -> dg.ExecuteInProcessResult:
    partitions = account_partitions(config)
    return dg.materialize(
        ingestion_assets(partitions, QUICK_RETRY),
        resources=pool_resources(config),
        instance=instance,
        tags=range_tags(account_ranges(partitions)[0]),
        **kwargs,  # type: ignore[arg-type]
    )


def test_definitions_load_with_assets_checks_jobs_and_schedules(config: Config) -> None:
    defs = build_definitions(config)
    graph = defs.resolve_asset_graph()
    keys = {
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if graph.get(key).group_name == "pool_api"
    }
    assert keys == {
        "earn_history",
        "earn_history_walks",
        "account_info",
        "earn_stats",
        "hashrate",
        "worker_stats",
        "pool_stats",
    }
    assert {s.name for s in defs.schedules or []} >= {
        "snapshot_schedule",
        "earn_history_schedule",
        "onchain_schedule",
    }
    assert defs.resolve_job_def("snapshot_job") is not None
    in_jobs = {
        key
        for job in defs.jobs or []
        for key in defs.resolve_job_def(job.name).asset_layer.selected_asset_keys
    }
    assert in_jobs == set(graph.get_all_asset_keys())  # every asset is in a job


def test_one_run_ingests_every_account_with_metadata(config: Config) -> None:
    result = materialize_all(config)
    assert result.success
    materializations = {
        m.asset_key.to_user_string(): m
        for m in result.asset_materializations_for_node("earn_history_ingest")
    }
    history = materializations["earn_history"].metadata
    pool = SimulatedPool(n_accounts=3, days=120)  # the same pool: a row per day or payment
    served = {a.name: len(pool.earn_history_rows(a)) for a in pool.accounts}
    assert history["rows"].value == sum(served.values()) >= 3 * 120
    assert history["pages_fetched"].value == 3 * (3 + 1)  # and page 1 again to confirm it
    assert history["by_account"].value == {
        name: {"rows": rows, "pages": 4} for name, rows in served.items()
    }
    assert "retries" in history and history["accounts_failed"].value == "none"
    lake = Path(config.lake)
    rows = duckdb.execute(
        f"select account, count(*) from read_parquet('{lake}/earn_history/*/*.parquet') group by 1"
    ).fetchall()
    assert dict(rows) == served
    assert history["dagster/row_count"].value == sum(served.values())  # the whole dataset's
    snapshots = result.asset_materializations_for_node("snapshot_ingest")
    info = next(m for m in snapshots if m.asset_key.to_user_string() == "account_info").metadata
    assert info["rows"].value == info["pages_fetched"].value == 3
    assert {m.asset_key.to_user_string() for m in snapshots} == {
        "account_info",
        "earn_stats",
        "hashrate",
        "worker_stats",
        "pool_stats",
    }


def test_one_account_can_be_backfilled_alone(config: Config) -> None:
    partitions = account_partitions(config)
    result = dg.materialize(
        ingestion_assets(partitions),
        resources=pool_resources(config),
        partition_key="sim002",
    )
    assert result.success
    files = readable_files(LakeStorage(config.lake), "earn_history").paths
    accounts = duckdb.read_parquet(files).select("account").distinct().fetchall()
    assert accounts == [("sim002",)]


def test_schedules_request_one_run_over_every_account(config: Config) -> None:
    defs = build_definitions(config)
    names = ("snapshot_schedule", "earn_history_schedule")
    for name in names:
        schedule = defs.resolve_schedule_def(name)
        requests = schedule.evaluate_tick(dg.build_schedule_context()).run_requests
        assert requests
        request = requests[0]
        assert request.partition_key_range == dg.PartitionKeyRange("sim001", "sim003")
    crons = {name: defs.resolve_schedule_def(name).cron_schedule for name in names}
    assert crons["snapshot_schedule"] == "*/10 * * * *"
    assert crons["earn_history_schedule"] == "30 0 * * *"


def test_ingestion_retries_with_exponential_jittered_backoff(config: Config) -> None:
    defs = build_definitions(config)
    for name in ("earn_history_ingest", "snapshot_ingest"):
        (policy,) = {
            node.retry_policy
            for node in defs.resolve_job_def("__ASSET_JOB").graph.node_defs
            if isinstance(node, dg.OpDefinition) and node.name == name
        }
        assert policy is not None and policy.max_retries >= 1 and policy.delay
        assert policy.backoff is dg.Backoff.EXPONENTIAL and policy.jitter is dg.Jitter.PLUS_MINUS


def test_dagster_finds_an_environment_only_config_as_the_contract_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POOLBOOKS_CONFIG", raising=False)
    monkeypatch.setenv("POOLBOOKS_PUID", "12345")
    monkeypatch.setenv("POOLBOOKS_ACCESS_KEY", "k-env-only")
    from poolbooks_dagster.location import config_for_dagster  # its import loads the config too

    defs = build_definitions(config_for_dagster())
    earn_history = defs.resolve_assets_def("earn_history")
    assert earn_history.partitions_def is not None
    assert list(earn_history.partitions_def.get_partition_keys()) == ["default"]


def test_freshness_check_passes_after_a_snapshot_and_fails_without(config: Config) -> None:
    resources = pool_resources(config)
    checks = freshness_checks()
    partitions = account_partitions(config)
    before = dg.materialize(
        [*ingestion_assets(partitions), *checks],
        resources=resources,
        selection=dg.AssetSelection.checks(*checks),
    )
    assert not any(e.passed for e in before.get_asset_check_evaluations())
    materialize_all(config)
    after = dg.materialize(
        [*ingestion_assets(partitions), *checks],
        resources=resources,
        selection=dg.AssetSelection.checks(*checks),
    )
    evaluations = after.get_asset_check_evaluations()
    assert len(evaluations) == 4 and all(e.passed for e in evaluations)


def test_canary_key_is_nowhere_in_dagster_logs_of_a_failing_run(
    config: Config, live_sim: RunningSimulator, tmp_path: Path
) -> None:
    live_sim.state.faults = parse_faults("5xx=1")
    home = tmp_path / "dagster_home"
    home.mkdir()
    overrides = {
        "python_logs": {
            "managed_python_loggers": ["httpx", "httpcore"],
            "python_log_level": "DEBUG",
        }
    }
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    with dg.DagsterInstance.local_temp(str(home), overrides=overrides) as instance:
        result = materialize_all(config, instance=instance, raise_on_error=False)
        assert not result.success
        messages = [str(e) for e in instance.all_logs(result.run_id)]
    text = "\n".join(messages)
    assert "HTTP 5" in text and "gave up after 2 attempts" in text
    files = [p for p in home.rglob("*") if p.is_file()]
    assert files
    blobs = [p.read_bytes() for p in files]
    for form in secret_forms(CANARY):
        assert form not in text
        assert all(form.encode() not in blob for blob in blobs)
