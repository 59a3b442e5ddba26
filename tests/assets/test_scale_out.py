"""Scale-out settings: runs of N accounts, the Celery executor, the build-after-ingest sensor."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from dagster._core.test_utils import create_run_for_test

from poolbooks.config import Config, ConfigError, load_config, parse_config
from poolbooks.demo_config import write_sim_config
from poolbooks.simulator.pool import SimulatedPool
from poolbooks_dagster.definitions import build_definitions
from poolbooks_dagster.pool.partitions import account_ranges
from poolbooks_dagster.warehouse.sensors import warehouse_sensors

SCALE = '[dagster]\npartitions_per_run = 2\nsnapshot_cron = "*/5 * * * *"\nexecutor = "celery"\n'


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    pool = SimulatedPool(n_accounts=5, days=30)
    path, environ = write_sim_config(tmp_path, pool, "http://127.0.0.1:9", SCALE)
    monkeypatch.setenv("DAGSTER_CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    monkeypatch.setenv("DAGSTER_CELERY_BACKEND_URL", "redis://127.0.0.1:9/1")
    return load_config(path, environ)


def test_accounts_are_split_into_ranges_covering_each_once(config: Config) -> None:
    defs = build_definitions(config)
    names = [a.name for a in config.accounts]
    ranges = account_ranges(dg.StaticPartitionsDefinition(names), 2)
    assert [(r.start, r.end) for r in ranges] == [
        (names[0], names[1]),
        (names[2], names[3]),
        (names[4], names[4]),
    ]
    schedule = defs.resolve_schedule_def("snapshot_schedule")
    assert schedule.cron_schedule == "*/5 * * * *"
    requests = schedule.evaluate_tick(dg.build_schedule_context()).run_requests or []
    starts = [r.tags["dagster/asset_partition_range_start"] for r in requests]
    assert starts == [names[0], names[2], names[4]]


def test_backfills_run_in_chunks_on_the_celery_executor(config: Config) -> None:
    defs = build_definitions(config)
    graph = defs.resolve_asset_graph()
    policy = graph.get(dg.AssetKey("earn_history")).backfill_policy
    assert policy is not None and policy.max_partitions_per_run == 2
    job = defs.resolve_job_def("earn_history_job")
    assert job.executor_def.name == "celery"


def test_the_default_executor_and_one_run_without_settings(tmp_path: Path) -> None:
    pool = SimulatedPool(n_accounts=2, days=30)
    path, environ = write_sim_config(tmp_path, pool, "http://127.0.0.1:9")
    defs = build_definitions(load_config(path, environ))
    assert defs.resolve_job_def("earn_history_job").executor_def.name != "celery"
    policy = defs.resolve_asset_graph().get(dg.AssetKey("earn_history")).backfill_policy
    assert policy is not None and policy.max_partitions_per_run is None


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ('[dagster]\nexecutor = "ray"\n', "[dagster] executor"),
        ("[dagster]\npartitions_per_run = -1\n", "[dagster] partitions_per_run"),
        ('[dagster]\nsnapshot_cron = "every ten minutes"\n', "[dagster] snapshot_cron"),
        ('[client]\nlimiter_url_env = "NO_SUCH_VARIABLE"\n', "[client] limiter_url_env"),
    ],
)
def test_bad_scale_out_settings_name_their_field(table: str, field: str) -> None:
    import tomllib

    raw = tomllib.loads(table + '[[accounts]]\nname = "a"\npuid = 1\naccess_key_env = "K"\n')
    with pytest.raises(ConfigError) as error:
        parse_config(raw, {"K": "key"}, base_dir=Path.cwd())
    assert field in str(error.value)


def test_a_limiter_url_that_is_not_redis_is_refused_and_never_shown() -> None:
    import tomllib

    raw = tomllib.loads(
        '[client]\nlimiter_url_env = "RATE"\n[[accounts]]\nname = "a"\npuid = 1\n'
        'access_key_env = "K"\n'
    )
    with pytest.raises(ConfigError, match="redis://"):
        parse_config(raw, {"K": "key", "RATE": "http://user:hunter2@x"}, base_dir=Path.cwd())
    ok = parse_config(raw, {"K": "key", "RATE": "redis://:hunter2@x:6379/0"}, base_dir=Path.cwd())
    assert ok.client.limiter_url is not None
    assert "hunter2" not in repr(ok) and "hunter2" not in repr(ok.client)


def test_the_sensor_builds_once_after_ingestion_settles() -> None:
    sensor = warehouse_sensors()[0]
    with dg.instance_for_test() as instance:

        def tick(cursor: str | None) -> tuple[list[dg.RunRequest], str | None]:
            context = dg.build_sensor_context(instance=instance, cursor=cursor)
            result = sensor.evaluate_tick(context)
            return list(result.run_requests or []), result.cursor

        assert tick(None)[0] == []  # nothing ingested yet
        instance.report_runless_asset_event(dg.AssetMaterialization("earn_history"))
        running = create_run_for_test(
            instance, job_name="earn_history_job", status=dg.DagsterRunStatus.STARTED
        )
        assert tick(None)[0] == []  # an ingestion run is still going
        instance.report_run_canceled(running)
        requests, cursor = tick(None)
        assert len(requests) == 1 and requests[0].run_key
        assert tick(cursor)[0] == []  # the same data is not built twice
        instance.report_runless_asset_event(dg.AssetMaterialization("earn_history"))
        again, _ = tick(cursor)
        assert len(again) == 1 and again[0].run_key != requests[0].run_key
