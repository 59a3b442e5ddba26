"""A production-shaped Dagster deployment on one machine: the instance of deploy/dagster.yaml on
PostgreSQL, `dagster-daemon`, and Celery workers on a Redis broker, all on loopback.

Used by the deploy test and by the backfill benchmark; every piece is the one a real deployment
runs, started as its own process with the environment the deploy README documents.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import dagster as dg

from harness.servers import Postgres

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKSPACE = REPO / "workspace.yaml"
DEPLOY = REPO / "deploy"
LIMITER_ENV = "POOLBOOKS_RATE_LIMIT_URL"


@dataclass
class Cluster:
    home: Path
    env: dict[str, str]
    logs: Path
    postgres: Postgres  # this instance's own database
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def dagster(self, *args: str, timeout: float = 180) -> str:
        """Run the `dagster` CLI against this instance; its output, or an error with it."""
        done = subprocess.run(
            [str(BIN / "dagster"), *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"dagster {' '.join(args)}: {done.stdout}\n{done.stderr}"
        return done.stdout

    def start(self, name: str, *command: str) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                command,
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # stopped as a group: celery forks its own pool
            )
        )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    @contextmanager
    def instance(self) -> Iterator[dg.DagsterInstance]:
        """The same instance the daemon and workers use, read from this process."""
        with mock.patch.dict(os.environ, self.env):
            instance = dg.DagsterInstance.from_config(str(self.home))
            try:
                yield instance
            finally:
                instance.dispose()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def cluster_environ(
    home: Path, postgres: Postgres, redis_url: str, config: Path, keys: dict[str, str]
) -> dict[str, str]:
    """Everything a deployment's processes read from the environment, and nothing else."""
    return {
        **os.environ,
        **keys,
        **postgres.environ(),
        "DAGSTER_HOME": str(home),
        "POOLBOOKS_CONFIG": str(config),
        "DAGSTER_CELERY_BROKER_URL": f"{redis_url}/0",
        "DAGSTER_CELERY_BACKEND_URL": f"{redis_url}/1",
        LIMITER_ENV: f"{redis_url}/2",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


@contextmanager
def dagster_cluster(
    folder: Path,
    server: Postgres,
    redis_url: str,
    config: Path,
    keys: dict[str, str],
    workers: int = 2,
    pool_limit: int = 2,
) -> Iterator[Cluster]:
    """A fresh instance (its own database), the daemon, and `workers` Celery workers."""
    home = folder / "dagster_home"
    home.mkdir(parents=True)
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    postgres = server.create_database(f"dagster_{uuid.uuid4().hex[:8]}")
    logs = folder / "logs"
    logs.mkdir()
    cluster = Cluster(
        home, cluster_environ(home, postgres, redis_url, config, keys), logs, postgres
    )
    try:
        cluster.dagster("instance", "migrate")
        cluster.dagster("instance", "concurrency", "set", "pool_api", str(pool_limit))
        for index in range(1, workers + 1):
            cluster.start(
                f"worker{index}",
                str(BIN / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app",
                "-y", str(DEPLOY / "celery.yaml"), "-n", f"worker{index}", "-l", "INFO",
                "--", "--concurrency=1",
            )  # fmt: skip
        cluster.start("daemon", str(BIN / "dagster-daemon"), "run", "-w", str(WORKSPACE))
        deadline = time.monotonic() + 120
        while not all(
            " ready." in cluster.log(f"worker{index}") for index in range(1, workers + 1)
        ):
            dead = [p.args for p in cluster.processes if p.poll() is not None]
            assert not dead, f"exited: {dead}\n{cluster.log('worker1')[-3000:]}"
            assert time.monotonic() < deadline, "Celery workers did not start"
            time.sleep(0.5)
        yield cluster
    finally:
        cluster.stop()
