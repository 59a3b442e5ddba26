"""PostgreSQL and Redis from the Debian packages, started on loopback for a test or benchmark.

`make test-deploy` installs the packages (`postgresql`, `redis-server`) when they are absent;
run bare, a missing binary fails with the command that installs it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import redis

from harness.loopback import free_port, until_ready

INSTALL_HINT = "install it with: apt-get install -y postgresql redis-server (or make test-deploy)"


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    db: str = "dagster"

    def environ(self) -> dict[str, str]:
        """The variables deploy/dagster.yaml reads."""
        return {
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_USERNAME": self.user,
            "DAGSTER_PG_PASSWORD": self.password,
            "DAGSTER_PG_DB": self.db,
        }

    def create_database(self, name: str) -> Postgres:
        """A new empty database on the same server (one Dagster instance each)."""
        connection = self.connect()
        connection.autocommit = True
        connection.cursor().execute(f'CREATE DATABASE "{name}"')
        connection.close()
        return Postgres(self.host, self.port, self.user, self.password, name)

    def dump(self) -> str:
        """The whole database as SQL text (`pg_dump`), to search it for what must not be there."""
        done = subprocess.run(
            [str(_postgres_bin() / "pg_dump"), "-h", self.host, "-p", str(self.port),
             "-U", self.user, "-d", self.db],
            env={**os.environ, "PGPASSWORD": self.password},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout

    def connect(self) -> psycopg2.extensions.connection:
        return psycopg2.connect(
            host=self.host, port=self.port, user=self.user, password=self.password, dbname=self.db
        )


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    assert found, f"PostgreSQL is not installed; {INSTALL_HINT}"
    return found[-1].parent


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """A fresh cluster with password login over TCP on 127.0.0.1, removed afterwards."""
    bindir = _postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="poolbooks-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as its own user
        shutil.chown(root, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    password = secrets.token_urlsafe(16)
    pwfile = root / "pw"
    pwfile.write_text(password)
    if as_owner:
        shutil.chown(pwfile, "postgres", "postgres")
    data, port = root / "data", free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_owner, *args], check=True, capture_output=True, cwd=root)

    run(str(bindir / "initdb"), "-D", str(data), "-U", "dagster", f"--pwfile={pwfile}",
        "--auth=scram-sha-256", "-E", "UTF8")  # fmt: skip
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
        "-w", "start")  # fmt: skip
    try:
        yield Postgres("127.0.0.1", port, "dagster", password, "postgres")
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def redis_server() -> Iterator[str]:
    """A Redis on 127.0.0.1 without persistence; yields its base URL (`redis://host:port`)."""
    binary = shutil.which("redis-server")
    assert binary, f"redis-server is not installed; {INSTALL_HINT}"
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}"
    try:
        until_ready(redis.Redis.from_url(url).ping, "redis-server", (redis.ConnectionError,))
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
