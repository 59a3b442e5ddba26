"""`make dev` (`python -m poolbooks_dagster.dev`): on the demo, the UI answers on loopback with the
demo's records already there, and SIGTERM stops every process it started, to the last one."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

import httpx
import pytest

from harness.loopback import free_port, until_ready
from poolbooks.demo import DemoResult
from tests.assets.conftest import not_made

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]  # where workspace.yaml is, as `make dev` runs
MATERIALIZED = """
{ assetNodes { assetKey { path } assetMaterializations(limit: 1) { timestamp } } }
"""


def stat(pid: int) -> tuple[int, str, str] | None:
    """A process's parent, state and start time, from /proc; None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[1]), fields[0], fields[19]


def descendants(pid: int) -> dict[int, str]:
    """Every process below `pid`, each with its start time (a pid may be reused)."""
    table: dict[int, tuple[int, str, str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := stat(int(entry.name))) is not None:
            table[int(entry.name)] = found
    below: dict[int, str] = {}
    parents = {pid}
    while parents:
        parents = {c for c, (parent, _, _) in table.items() if parent in parents and c not in below}
        below.update({c: table[c][2] for c in parents})
    return below


def alive(pid: int, started: str) -> bool:
    now = stat(pid)
    return now is not None and now[2] == started and now[1] != "Z"


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def demo_copy(demo: DemoResult, folder: Path) -> int:
    """The recorded demo in `folder`, its simulator moved to a free port; that port."""
    shutil.copytree(demo.folder, folder)
    config = folder / "poolbooks.toml"
    port = free_port()
    config.write_text(re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}", config.read_text()))
    text = config.read_text()
    config.write_text(re.sub(r"^port = \d+$", f"port = {port}", text, flags=re.MULTILINE))
    return port


def test_dev_serves_the_demo_and_sigterm_stops_every_process(
    recorded_demo: DemoResult, tmp_path: Path
) -> None:
    sim_port = demo_copy(recorded_demo, tmp_path / "demo")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("POOLBOOKS_CONFIG", "DAGSTER_HOME")}
    log = (tmp_path / "dev.log").open("wb")
    runner = ["-m", "poolbooks_dagster.dev", "--dir", str(tmp_path / "demo"), "--port", str(port)]
    dev = subprocess.Popen(
        [sys.executable, *runner],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        web = f"http://127.0.0.1:{port}"
        until_ready(
            lambda: httpx.get(f"{web}/server_info", timeout=2).raise_for_status(),
            "the Dagster webserver",
            (httpx.HTTPError,),
            timeout=120,
        )
        until_ready(
            lambda: httpx.get(f"http://127.0.0.1:{sim_port}/", timeout=2),
            "the simulator",
            (httpx.HTTPError,),
        )
        answer = httpx.post(f"{web}/graphql", json={"query": MATERIALIZED}, timeout=30).json()
        nodes = answer["data"]["assetNodes"]
        assert len(nodes) > 20
        never = ["/".join(n["assetKey"]["path"]) for n in nodes if not n["assetMaterializations"]]
        assert set(never) == not_made(recorded_demo)  # no asset "Never materialized"
        names = " ".join(command(pid) for pid in descendants(dev.pid))
        assert "dagster_webserver" in names and "dagster._daemon" in names
        assert "simulate" in names
    finally:
        started = descendants(dev.pid)  # all it started, just before it is told to stop
        dev.send_signal(signal.SIGTERM)
        code = dev.wait(timeout=60)
        log.close()
        survivors = [pid for pid, when in started.items() if alive(pid, when)]
        named = [command(pid) for pid in survivors]
        for pid in survivors:  # a failing run leaves nothing behind either
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    output = (tmp_path / "dev.log").read_text()
    assert named == [], output[-3000:]
    assert code == 0, output[-3000:]
    assert "SupersessionWarning" not in output and "No dagster instance configuration" not in output


def test_make_dev_runs_this_runner_on_the_demo() -> None:
    planned = subprocess.run(
        # a make run by `make test` would say which folder it enters: not part of the plan
        ["make", "--no-print-directory", "-n", "-o", ".venv/.installed-runtime", "dev"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert planned.strip().endswith("python -m poolbooks_dagster.dev --dir demo")
