"""`poolbooks ingest/snapshot/compact` as real processes: kills, two at once, exit codes."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from poolbooks.demo_config import write_sim_config
from poolbooks.lake.readable import readable_files
from poolbooks.lake.schemas import DATASETS as LAKE_DATASETS
from poolbooks.lake.storage import LakeStorage
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app

POOLBOOKS = str(Path(sys.executable).with_name("poolbooks"))
CLIENT = "[client]\nrequests_per_second = 60\nconcurrency = 4\n"
RUN_COLUMNS = {"run_id", "fetched_at", "schema_version"}
DATASETS = tuple(d for d in LAKE_DATASETS if d != "onchain_tx")  # what an ingest writes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live_sim() -> Iterator[RunningSimulator]:
    pool = SimulatedPool(n_accounts=4, days=400)
    with running_simulator(create_app(pool, parse_faults("latency=15ms"))) as running:
        yield running


def setup(folder: Path, sim: RunningSimulator) -> tuple[Path, dict[str, str]]:
    path, environ = write_sim_config(folder, sim.state.pool, sim.base_url, CLIENT)
    return path, {**os.environ, **environ}


def poolbooks(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POOLBOOKS, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


def lake_content(lake: Path) -> dict[str, Counter[tuple[Any, ...]]]:
    """Every dataset's rows, and every archived page, without what differs from run to run
    (run id, fetch time, schema version); counted, so a doubled row shows."""
    storage = LakeStorage(str(lake))
    content: dict[str, Counter[tuple[Any, ...]]] = {}
    for dataset in DATASETS:
        files = readable_files(storage, dataset).paths
        if files:
            relation = duckdb.read_parquet(files)
            columns = [c for c in relation.columns if c not in RUN_COLUMNS]
            content[dataset] = Counter(relation.select(*columns).fetchall())
    pages: Counter[tuple[Any, ...]] = Counter()
    for path in readable_files(storage, "raw_pages", ".jsonl.gz").paths:
        for line in gzip.decompress(Path(path).read_bytes()).splitlines():
            page = json.loads(line)
            pages[(page["account"], page["endpoint"], page["page"], page["body"])] += 1
    content["raw_pages"] = pages
    return content


def distinct(content: dict[str, Counter[tuple[Any, ...]]]) -> dict[str, set[tuple[Any, ...]]]:
    return {name: set(rows) for name, rows in content.items()}


@pytest.fixture(scope="module")
def reference(live_sim: RunningSimulator, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("reference")
    config, env = setup(folder, live_sim)
    result = poolbooks("ingest", "--config", str(config), env=env)
    assert result.returncode == 0, result.stderr
    return lake_content(folder / "data" / "lake")


def wait_until(ready: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None and not ready():
        time.sleep(0.0005)


def kill_moments(lake: Path, sim: RunningSimulator) -> dict[str, Callable[[], bool]]:
    """Where in a run to kill it: fetching, and three points of its commit."""
    served = sum(sim.state.by_endpoint.values())
    return {
        "fetching": lambda: sum(sim.state.by_endpoint.values()) - served >= 20,
        "journal written": lambda: any((lake / "_commits").glob("*.json")),
        "pages archived": lambda: any(lake.rglob("part-*.jsonl.gz")),
        "first parquet": lambda: any(lake.rglob("part-*.parquet")),
    }


@pytest.mark.parametrize(
    "moment", ["fetching", "journal written", "pages archived", "first parquet"]
)
def test_sigkill_at_any_moment_then_rerun_gives_the_undisturbed_lake(
    live_sim: RunningSimulator, reference: Any, tmp_path: Path, moment: str
) -> None:
    config, env = setup(tmp_path, live_sim)
    lake = tmp_path / "data" / "lake"
    ready = kill_moments(lake, live_sim)[moment]
    process = subprocess.Popen(
        [POOLBOOKS, "ingest", "--config", str(config)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(ready, process)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL  # it was killed at that moment, not finished
    if moment != "fetching":
        assert ready()  # the kill landed inside the commit
    assert lake_content(lake).get("earn_history", Counter()) == Counter()  # all or nothing
    result = poolbooks("ingest", "--config", str(config), env=env)
    assert result.returncode == 0, result.stderr
    assert LakeStorage(str(lake)).temporary_files() == []
    assert list((lake / "_commits").glob("*")) == []
    assert lake_content(lake) == reference


def test_two_ingests_at_once_corrupt_nothing(
    live_sim: RunningSimulator, reference: Any, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim)
    command = [POOLBOOKS, "ingest", "--config", str(config)]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    lake = tmp_path / "data" / "lake"
    content, expected = distinct(lake_content(lake)), distinct(reference)
    # the walk log records each run: the second, if it started after the first committed,
    # walked incrementally, so its rows are its own; every account still has its full walk
    walks, full_walks = content.pop("earn_history_walks"), expected.pop("earn_history_walks")
    assert full_walks <= walks
    assert content == expected  # two runs: rows seen twice, but each row the same
    assert LakeStorage(str(lake)).temporary_files() == []


def test_refused_account_exits_3_naming_it_and_others_land(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim)
    env["POOLBOOKS_KEY_SIM003"] = "wrong-key-for-sim003"
    result = poolbooks("snapshot", "--config", str(config), env=env)
    assert result.returncode == 3
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert failed == [
        "failed: account 'sim003', endpoint account-info: err_no 20001: permissions denied"
    ]
    assert "account=sim003 mode=- pages=0 rows=0 snapshots=0 status=failed" in result.stderr
    assert "wrong-key-for-sim003" not in result.stderr + result.stdout
    content = lake_content(tmp_path / "data" / "lake")
    assert {row[0] for row in content["earn_stats"]} == {"sim001", "sim002", "sim004"}


def test_account_option_limits_the_run(live_sim: RunningSimulator, tmp_path: Path) -> None:
    config, env = setup(tmp_path, live_sim)
    result = poolbooks("snapshot", "--config", str(config), "--account", "sim002", env=env)
    assert result.returncode == 0, result.stderr
    content = lake_content(tmp_path / "data" / "lake")
    assert {row[0] for row in content["hashrate"]} == {"sim002"}
    again = ["--account", "sim001", "--account", "sim004"]
    result = poolbooks("ingest", "--config", str(config), *again, env=env)
    assert result.returncode == 0, result.stderr
    walks = lake_content(tmp_path / "data" / "lake")["earn_history_walks"]
    assert sorted((row[0], row[3]) for row in walks) == [("sim001", "full"), ("sim004", "full")]
    result = poolbooks("ingest", "--config", str(config), "--full", *again, env=env)
    assert result.returncode == 0, result.stderr
    walks = lake_content(tmp_path / "data" / "lake")["earn_history_walks"]
    assert sorted(row[3] for row in walks.elements()) == ["full"] * 4  # not incremental


def test_unknown_account_is_a_usage_error(live_sim: RunningSimulator, tmp_path: Path) -> None:
    config, env = setup(tmp_path, live_sim)
    result = poolbooks("ingest", "--config", str(config), "--account", "nope", env=env)
    assert result.returncode == 2
    assert "no account named 'nope'" in result.stderr


def test_compact_keeps_every_row_once(
    live_sim: RunningSimulator, reference: Any, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim)
    for _ in range(2):
        assert poolbooks("ingest", "--config", str(config), env=env).returncode == 0
    lake = tmp_path / "data" / "lake"
    storage = LakeStorage(str(lake))
    written = [d for d in DATASETS if d != "prices"]  # no [prices] table: no price source asked
    before = {d: len(readable_files(storage, d).paths) for d in written}
    content_before = lake_content(lake)
    result = poolbooks("compact", "--config", str(config), env=env)
    assert result.returncode == 0, result.stderr
    after = {d: len(readable_files(storage, d).paths) for d in written}
    assert before == dict.fromkeys(written, 2) and after == dict.fromkeys(written, 1)
    assert lake_content(lake) == content_before  # every row and page, each as often
    observed = distinct(content_before)
    assert observed.pop("earn_history_walks") > distinct(reference)["earn_history_walks"]
    assert observed == {k: v for k, v in distinct(reference).items() if k in observed}


def test_a_lake_that_cannot_be_opened_is_one_line_without_its_credentials(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim)
    text = config.read_text()
    lake = next(line for line in text.splitlines() if line.startswith("lake = "))
    config.write_text(text.replace(lake, 'lake = "nosuch://AKIAEXAMPLE:s3cr3tW0rd@bucket/lake"'))
    result = poolbooks("ingest", "--config", str(config), env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: config error: lake: cannot open nosuch://bucket/lake: "
        "Unrecognized filesystem type in URI: nosuch://bucket/lake"
    ]
    assert "s3cr3t" not in result.stdout + result.stderr
    assert "AKIAEXAMPLE" not in result.stdout + result.stderr


@pytest.mark.parametrize("command", ["ingest", "compact"])
def test_a_lake_path_through_a_file_is_one_line_and_exit_2(
    live_sim: RunningSimulator, tmp_path: Path, command: str
) -> None:
    config, env = setup(tmp_path, live_sim)
    (tmp_path / "a-file").write_text("not a folder")
    text = config.read_text()
    lake = next(line for line in text.splitlines() if line.startswith("lake = "))
    config.write_text(text.replace(lake, 'lake = "a-file/lake"'))
    result = poolbooks(command, "--config", str(config), env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: config error: lake: {tmp_path}/a-file/lake is not a poolbooks lake "
        f"({tmp_path}/a-file is a file); check `lake` in {config}"
    ]
    assert (tmp_path / "a-file").read_text() == "not a folder"


def test_off_a_terminal_each_account_is_one_parseable_line(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim)
    result = poolbooks("ingest", "--config", str(config), env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and "\x1b" not in result.stderr  # no bars, no colour
    fields = [dict(f.split("=", 1) for f in line.split()) for line in lines]
    assert sorted(f["account"] for f in fields) == ["sim001", "sim002", "sim003", "sim004"]
    pool = live_sim.state.pool
    served = {a.name: str(len(pool.earn_history_rows(a))) for a in pool.accounts}
    assert {f["account"]: (f["mode"], f["rows"], f["status"]) for f in fields} == {
        name: ("full", rows, "ok") for name, rows in served.items()
    }
    summary = result.stdout.splitlines()
    # every history page, four snapshots per account, pool stats node and merged
    pages = sum(-(-int(rows) // 50) for rows in served.values()) + 4 * 4 + 2
    assert len(summary) == 2  # not wrapped
    lake = tmp_path / "data" / "lake"
    assert summary[1].startswith(f"this run added to the lake {lake}: ")  # not the lake's total
    assert f"{sum(int(rows) for rows in served.values())} earn_history rows" in summary[1]
    assert summary[1].endswith(f", {pages} raw pages")


def test_on_a_terminal_each_account_gets_a_progress_bar(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    import pty

    config, env = setup(tmp_path, live_sim)
    parent, child = pty.openpty()
    process = subprocess.Popen(
        [POOLBOOKS, "ingest", "--config", str(config)],
        env={**env, "TERM": "xterm-256color", "COLUMNS": "120"},
        stdout=subprocess.PIPE,
        stderr=child,
    )
    os.close(child)
    screen = b""
    with contextlib.suppress(OSError):  # the pty ends with EIO when the process exits
        while chunk := os.read(parent, 65536):
            screen += chunk
    os.close(parent)
    assert process.wait(timeout=60) == 0
    text = screen.decode(errors="replace")
    for account in ("sim001", "sim002", "sim003", "sim004"):
        assert account in text
    pool = live_sim.state.pool
    pages = -(-len(pool.earn_history_rows(pool.accounts[0])) // 50)  # its pages, all read
    assert "━" in text and f"{pages}/{pages}" in text  # rich's bar, and an account's pages done


def read_terminal(parent: int) -> tuple[threading.Thread, bytearray]:
    """What a process writes to the pty whose parent end is `parent`, read as it comes (a
    full pty would block the process)."""
    screen = bytearray()

    def read() -> None:
        with contextlib.suppress(OSError):  # the pty ends with EIO when the process exits
            while chunk := os.read(parent, 65536):
                screen.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, screen


def test_ctrl_c_on_a_terminal_commits_nothing_says_so_and_exits_130(
    live_sim: RunningSimulator, reference: Any, tmp_path: Path
) -> None:
    import pty

    config, env = setup(tmp_path, live_sim)
    lake = tmp_path / "data" / "lake"
    parent, child = pty.openpty()
    process = subprocess.Popen(
        [POOLBOOKS, "ingest", "--config", str(config)],
        env={**env, "TERM": "xterm-256color", "COLUMNS": "120"},
        stdout=subprocess.PIPE,
        stderr=child,
    )
    os.close(child)
    reader, screen = read_terminal(parent)
    wait_until(kill_moments(lake, live_sim)["fetching"], process)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130
    reader.join(timeout=10)
    os.close(parent)
    text = screen.decode(errors="replace")
    assert f"interrupted: nothing committed; the lake {lake} holds no part of this run" in text
    assert re.search(r"sim00\d[^\n]*interrupted", text)  # a bar, not a green "ok"
    assert "Traceback" not in text
    assert lake_content(lake).get("earn_history", Counter()) == Counter()
    assert LakeStorage(str(lake)).temporary_files() == []
    assert list((lake / "_commits").glob("*")) == []
    result = poolbooks("ingest", "--config", str(config), env=env)
    assert result.returncode == 0, result.stderr
    assert lake_content(lake) == reference


def interrupted_ingest(
    config: Path, env: dict[str, str], lake: Path, live_sim: RunningSimulator, moment: str
) -> tuple[int, str, str]:
    """A real ingest, piped, sent SIGINT at `moment` of its run: its exit code and output."""
    process = subprocess.Popen(
        [POOLBOOKS, "ingest", "--config", str(config)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_until(kill_moments(lake, live_sim)[moment], process)
    process.send_signal(signal.SIGINT)
    stdout, stderr = (out.decode() for out in process.communicate(timeout=60))
    return process.returncode, stdout, stderr


def test_ctrl_c_off_a_terminal_is_one_line_and_exit_130(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim)
    lake = tmp_path / "data" / "lake"
    returncode, stdout, stderr = interrupted_ingest(config, env, lake, live_sim, "fetching")
    assert returncode == 130
    line = f"interrupted: nothing committed; the lake {lake} holds no part of this run"
    assert stderr.splitlines() == [line] and stdout == ""
    assert lake_content(lake).get("earn_history", Counter()) == Counter()


def test_ctrl_c_during_the_commit_finishes_it_and_says_so(
    live_sim: RunningSimulator, reference: Any, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim)
    lake = tmp_path / "data" / "lake"
    returncode, stdout, stderr = interrupted_ingest(config, env, lake, live_sim, "journal written")
    assert returncode == 130, stderr
    assert stderr.splitlines()[-1] == (
        "interrupted: this run was committed before it stopped (above); nothing else"
    )
    assert f"this run added to the lake {lake}:" in stdout  # as an ingest says it
    assert LakeStorage(str(lake)).temporary_files() == []
    assert list((lake / "_commits").glob("*")) == []
    assert lake_content(lake) == reference
