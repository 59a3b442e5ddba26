"""A moved, mistyped or deleted lake through the real `poolbooks` command: commands that read
it stop in one line (exit 2), a build that would lose accounts stops (exit 1), and the
published warehouse and its exports stay as they were."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from poolbooks.demo_config import write_sim_config
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import running_simulator
from poolbooks.simulator.server import create_app

POOLBOOKS = str(Path(sys.executable).with_name("poolbooks"))
KEEP = "the published warehouse was kept (poolbooks build --allow-shrink publishes anyway)"

pytestmark = pytest.mark.slow


def poolbooks(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POOLBOOKS, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


@dataclass(frozen=True)
class Books:
    """A config, its lake of three accounts, a second lake of two of them, a warehouse
    published from the first, and that warehouse's accrual export of `year`."""

    folder: Path
    year: int

    @property
    def config(self) -> Path:
        return self.folder / "poolbooks.toml"

    @property
    def warehouse(self) -> Path:
        return self.folder / "data" / "warehouse.duckdb"

    def point_lake_at(self, lake: str) -> None:
        text = self.config.read_text()
        line = next(line for line in text.splitlines() if line.startswith("lake = "))
        self.config.write_text(text.replace(line, f'lake = "{lake}"'))

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return poolbooks(*args, "--config", str(self.config))

    def export(self, name: str) -> str:
        output = self.folder / name
        result = self.run(
            "export", "tax", "--format", "generic", "--basis", "accrual",
            "--year", str(self.year), "--output", str(output),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return output.read_text()

    def digest(self) -> str:
        return hashlib.sha256(self.warehouse.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Books:
    folder = tmp_path_factory.mktemp("books")
    pool = SimulatedPool(n_accounts=3, days=40)
    with running_simulator(create_app(pool)) as sim:
        extra = "[client]\nrequests_per_second = 500"
        path, environ = write_sim_config(folder, pool, sim.base_url, extra)
        books = Books(folder, pool.today.year)
        books.point_lake_at("data/two-accounts")
        two = ["--account", "sim001", "--account", "sim002"]
        result = poolbooks("ingest", "--config", str(path), *two, env=environ)
        assert result.returncode == 0, result.stderr
        books.point_lake_at("data/lake")
        assert poolbooks("ingest", "--config", str(path), env=environ).returncode == 0
    result = books.run("build")
    assert result.returncode == 0, result.stderr
    books.export("before.csv")
    return books


@pytest.fixture
def books(made: Books, tmp_path: Path) -> Books:
    """A copy of the made books for one test to spoil."""
    shutil.copytree(made.folder, tmp_path / "books")
    return Books(tmp_path / "books", made.year)


def accounts_in(export: str) -> set[str]:
    return {name for name in ("sim001", "sim002", "sim003") if name in export}


@pytest.mark.parametrize("kind", ["mistyped", "a file", "deleted"])
def test_build_reconcile_and_compact_refuse_a_lake_that_is_not_one_in_one_line(
    books: Books, kind: str
) -> None:
    if kind == "mistyped":
        books.point_lake_at("nosuchdir/lake")
        location, reason = books.folder / "nosuchdir" / "lake", "no such folder"
    elif kind == "a file":
        (books.folder / "data" / "lake.tar").write_text("not a folder")
        books.point_lake_at("data/lake.tar")
        location, reason = books.folder / "data" / "lake.tar", "a file, not a folder"
    else:
        shutil.rmtree(books.folder / "data" / "lake")
        location, reason = books.folder / "data" / "lake", "no such folder"
    start = " or run `poolbooks ingest` to start one" if reason == "no such folder" else ""
    line = (
        f"error: config error: lake: {location} is not a poolbooks lake ({reason}); "
        f"check `lake` in {books.config}{start}"
    )
    before = books.digest()
    for command in (["build"], ["reconcile"], ["reconcile", "--onchain"], ["compact"]):
        result = books.run(*command)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert result.stderr.splitlines() == [line], command
        assert result.stdout == "", command
        assert books.digest() == before, command
    assert not (books.folder / "nosuchdir").exists()
    assert books.export("after.csv") == (books.folder / "before.csv").read_text()


def test_a_build_from_a_lake_with_fewer_accounts_stops_unless_allowed(books: Books) -> None:
    books.point_lake_at("data/two-accounts")
    line = (
        "error: build would lose 1 of 3 accounts (sim003) that the published warehouse has; "
        f"the lake at {books.folder}/data/two-accounts may be moved or mistyped: {KEEP}"
    )
    before = books.digest()
    for command in (["build"], ["reconcile"]):
        result = books.run(*command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert result.stderr.splitlines() == [line], command
        assert books.digest() == before, command
    assert not list(books.warehouse.parent.glob("*.building")) + list(
        books.warehouse.parent.glob("*.failed")
    )
    kept = books.export("after.csv")
    assert kept == (books.folder / "before.csv").read_text()
    assert accounts_in(kept) == {"sim001", "sim002", "sim003"}

    result = books.run("build", "--allow-shrink")
    assert result.returncode == 0, result.stderr
    assert books.digest() != before
    with duckdb.connect(str(books.warehouse), read_only=True) as con:
        accounts = con.execute("select distinct account from daily_earnings order by 1").fetchall()
    assert accounts == [("sim001",), ("sim002",)]
    assert accounts_in(books.export("shrunk.csv")) == {"sim001", "sim002"}
