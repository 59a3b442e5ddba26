"""The production deployment on loopback: Dagster on PostgreSQL, `dagster-daemon`, two Celery
workers on Redis, and a backfill of 20 account partitions against the simulator.

One deployment serves the whole module (it takes a few minutes); each test checks one promise
of deploy/README.md against it.
"""

from __future__ import annotations

import gzip
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dagster as dg
import duckdb
import pytest
from dagster._core.scheduler.instigation import InstigatorStatus, InstigatorType

from harness.backfill import (
    BackfillResult,
    launch_backfill,
    simulated_pool,
    wait_for,
    wait_for_backfill,
)
from harness.cluster import Cluster, dagster_cluster
from harness.servers import Postgres
from poolbooks.config import load_config

ACCOUNTS = 20
POOL_API_LIMIT = 1  # pool slots for pool API steps; fewer than workers, so the pool decides
WORKERS = 2
SIM_LATENCY_MS = 40  # long enough that two steps at once would overlap at the simulator
TIMEOUT = 420
PARTITIONS_PER_RUN = 5  # as `simulated_pool`'s config says
SCHEDULED = {"dagster/schedule_name": "snapshot_schedule"}
UNFINISHED = {
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
}


@dataclass
class Deployment:
    cluster: Cluster
    backfill: BackfillResult
    pool_api: dict[str, Any]  # the simulator's counters, read once everything had finished
    warehouse: Path
    names: list[str]
    keys: dict[str, str]  # the pool access keys, by variable
    folder: Path  # DAGSTER_HOME, the process logs, the lake, the warehouse, the exports


def stop_schedule(cluster: Cluster, schedule: tuple[str, ...], attempts: int = 5) -> None:
    """Stop the schedule and make sure it stays stopped: the daemon writes a schedule's state
    back when it finishes a tick, so a stop that lands while a tick is still launching its runs
    can be undone; stop it again until the daemon has seen it stopped."""
    for _ in range(attempts):
        cluster.dagster("schedule", "stop", *schedule)
        time.sleep(5)  # longer than the daemon's loop: a tick under way has written by now
        with cluster.instance() as instance:
            states = instance.all_instigator_state(instigator_type=InstigatorType.SCHEDULE)
            if all(state.status != InstigatorStatus.RUNNING for state in states):
                return
    raise AssertionError(f"the schedule kept running after {attempts} stops")


def runs_of(instance: dg.DagsterInstance, **tags: str) -> list[dg.RunRecord]:
    return list(instance.get_run_records(dg.RunsFilter(tags=tags)))


def succeeded(instance: dg.DagsterInstance, job: str) -> bool:
    runs = instance.get_runs(dg.RunsFilter(job_name=job))
    return any(run.status == dg.DagsterRunStatus.SUCCESS for run in runs)


@pytest.fixture(scope="module")
def deployment(
    tmp_path_factory: pytest.TempPathFactory, postgres: Postgres, redis_url: str
) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("deploy")
    with (
        simulated_pool(folder / "poolbooks", ACCOUNTS, 200, 20, SIM_LATENCY_MS) as (
            sim,
            config,
            keys,
        ),
        dagster_cluster(
            folder, postgres, redis_url, config, keys, WORKERS, POOL_API_LIMIT
        ) as cluster,
    ):
        schedule = ("snapshot_schedule", "-w", "workspace.yaml")
        cluster.dagster("schedule", "start", *schedule)
        cluster.dagster("sensor", "start", "warehouse_after_ingest", "-w", "workspace.yaml")
        names = [account.name for account in load_config(config, cluster.env).accounts]
        started = time.monotonic()
        backfill_id = launch_backfill(cluster, names[0], names[-1])
        # one tick of the every-minute schedule is enough; more would only slow the backfill
        tick = ACCOUNTS // PARTITIONS_PER_RUN  # its runs: one per range of accounts
        wait_for(cluster, "a schedule tick", lambda i: len(runs_of(i, **SCHEDULED)) >= tick, 120)
        stop_schedule(cluster, schedule)
        backfill = wait_for_backfill(cluster, backfill_id, started, TIMEOUT)
        wait_for(cluster, "the warehouse build", lambda i: succeeded(i, "warehouse_job"), 240)
        wait_for(cluster, "runs to finish", lambda i: not i.get_runs_count(
            dg.RunsFilter(statuses=list(UNFINISHED))
        ), 180)  # fmt: skip
        yield Deployment(
            cluster,
            backfill,
            sim.state.snapshot(),
            load_config(config, cluster.env).warehouse,
            names,
            keys,
            folder,
        )


def test_every_partition_succeeded_exactly_once(deployment: Deployment) -> None:
    runs = deployment.backfill.runs
    assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * ACCOUNTS
    assert sorted(run.tags["dagster/partition"] for run in runs) == deployment.names
    with deployment.cluster.instance() as instance:
        records = instance.fetch_materializations(dg.AssetKey("earn_history"), limit=1000).records
    partitions = Counter(record.partition_key for record in records)
    assert partitions == dict.fromkeys(deployment.names, 1)


def test_runs_and_events_are_in_postgres(deployment: Deployment) -> None:
    run_ids = [run.run_id for run in deployment.backfill.runs]
    with deployment.cluster.postgres.connect() as connection, connection.cursor() as cursor:
        cursor.execute("select count(*) from runs where run_id = any(%s)", (run_ids,))
        assert cursor.fetchone() == (ACCOUNTS,)
        cursor.execute(
            "select count(*) from event_logs where run_id = any(%s)"
            " and dagster_event_type = 'ASSET_MATERIALIZATION' and asset_key = %s",
            (run_ids, '["earn_history"]'),
        )
        assert cursor.fetchone() == (ACCOUNTS,)
    home = deployment.cluster.home
    assert not [p for p in home.rglob("*") if p.suffix in {".db", ".sqlite"}]


def test_the_daemon_ticked_the_schedule_and_the_sensor(deployment: Deployment) -> None:
    with deployment.cluster.instance() as instance:
        scheduled = runs_of(instance, **SCHEDULED)
        sensed = runs_of(instance, **{"dagster/sensor_name": "warehouse_after_ingest"})
    assert any(r.dagster_run.status == dg.DagsterRunStatus.SUCCESS for r in scheduled)
    assert [r.dagster_run.job_name for r in sensed] == ["warehouse_job"]
    assert deployment.pool_api["by_endpoint"]["account-info"] >= ACCOUNTS


INGEST_STEPS = ("earn_history_ingest", "snapshot_ingest")  # the steps in pool `pool_api`


def step_intervals(instance: dg.DagsterInstance, job: str) -> list[tuple[float, float, int]]:
    """(start, end, pid) of every pool API step of a job's runs, from the event log."""
    starts: dict[tuple[str, str], tuple[float, int]] = {}
    intervals = []
    for run in instance.get_runs(dg.RunsFilter(job_name=job)):
        for event in instance.all_logs(run.run_id):
            if event.dagster_event is None or event.step_key not in INGEST_STEPS:
                continue
            key = (run.run_id, event.step_key or "")
            kind = event.dagster_event_type
            if kind == dg.DagsterEventType.STEP_START:
                starts[key] = (event.timestamp, event.dagster_event.pid or 0)
            elif kind in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
                start, pid = starts.pop(key)
                intervals.append((start, event.timestamp, pid))
    return intervals


def most_at_once(intervals: list[tuple[float, float, int]]) -> int:
    edges = sorted([(s, 1) for s, _, _ in intervals] + [(e, -1) for _, e, _ in intervals])
    running = peak = 0
    for _, change in edges:
        running += change
        peak = max(peak, running)
    return peak


def test_the_pool_api_limit_held_across_workers(deployment: Deployment) -> None:
    with deployment.cluster.instance() as instance:
        steps = step_intervals(instance, "earn_history_job") + step_intervals(
            instance, "snapshot_job"
        )
    assert len(steps) >= ACCOUNTS
    assert most_at_once(steps) <= POOL_API_LIMIT
    # the limit held at the pool itself: one client at a time (concurrency 1), never a 429
    assert deployment.pool_api["max_in_flight"] <= POOL_API_LIMIT
    assert deployment.pool_api["rate_limited"] == 0
    assert deployment.pool_api["by_endpoint"]["earn-history"] >= ACCOUNTS


def test_steps_ran_on_both_celery_workers(deployment: Deployment) -> None:
    with deployment.cluster.instance() as instance:
        pids = {pid for _, _, pid in step_intervals(instance, "earn_history_job")}
    assert len(pids) == WORKERS
    for index in range(1, WORKERS + 1):
        assert "Task execute_plan[" in deployment.cluster.log(f"worker{index}")


def test_the_warehouse_was_built_once_after_the_backfill(deployment: Deployment) -> None:
    with deployment.cluster.instance() as instance:
        builds = list(instance.get_run_records(dg.RunsFilter(job_name="warehouse_job")))
        backfill = [instance.get_run_record_by_id(run.run_id) for run in deployment.backfill.runs]
    assert len(builds) == 1
    (build,) = builds
    assert build.dagster_run.status == dg.DagsterRunStatus.SUCCESS
    assert build.start_time is not None
    last_ingest = max(record.end_time or 0 for record in backfill if record)
    assert build.start_time >= last_ingest
    with duckdb.connect(str(deployment.warehouse), read_only=True) as con:
        accounts = con.execute("select count(distinct account) from daily_earnings").fetchone()
    assert accounts == (ACCOUNTS,)


def test_no_access_key_in_postgres_or_any_file(deployment: Deployment) -> None:
    secrets = [v for key in deployment.keys.values() for v in (key, quote(key, safe=""))]
    dump = deployment.cluster.postgres.dump()
    assert "event_logs" in dump  # the dump holds the runs' events
    assert not [s for s in secrets if s in dump]
    for path in deployment.folder.rglob("*"):
        if path.is_file() and path.suffix not in {".parquet", ".duckdb"}:
            text = path.read_bytes()
            if path.suffix == ".gz":  # the verbatim pages
                text = gzip.decompress(text)
            assert not [s for s in secrets if s.encode() in text], path
