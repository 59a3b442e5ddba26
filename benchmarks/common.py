"""Shared pieces of the benchmarks: a row of the results table, timing, the simulator process."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.client_throughput import start_simulator
from poolbooks.demo_config import config_tables
from poolbooks.simulator.pool import SimulatedPool

POOLBOOKS = str(Path(sys.executable).with_name("poolbooks"))


@dataclass(frozen=True)
class Row:
    """One line of `make bench`: the figure, what it is divided by, and the target."""

    id: str
    what: str
    measured: str
    reference: str
    ratio: float | None
    target: str
    met: bool

    def cells(self) -> list[str]:
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}"
        return [
            self.id,
            self.what,
            self.measured,
            self.reference,
            ratio,
            self.target,
            "yes" if self.met else "NO",
        ]


def median_seconds(run: Callable[[], Any], times: int = 3) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


class Simulator:
    """`poolbooks simulate` in its own process, with its admin endpoints at hand."""

    def __init__(self, accounts: int, days: int, faults: str) -> None:
        self.accounts, self.days = accounts, days
        self.process, self.base = start_simulator(accounts, days, faults)
        httpx.post(self.base + "/_sim/warm", timeout=600)  # the pool's own warm-up is not ours

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def stats(self) -> dict[str, Any]:
        body: dict[str, Any] = httpx.get(self.base + "/_sim/stats").json()
        return body

    def reset(self) -> None:
        httpx.post(self.base + "/_sim/stats/reset")

    def advance(self, days: float) -> None:
        httpx.post(self.base + "/_sim/clock", json={"advance_days": days})
        httpx.post(self.base + "/_sim/warm", timeout=600)

    def write_config(
        self, folder: Path, rate: float, concurrency: int = 16
    ) -> tuple[Path, dict[str, str]]:
        pool = SimulatedPool(n_accounts=self.accounts, days=self.days)
        tables, keys = config_tables(pool, self.base)
        lines = [f'lake = "{folder}/lake"', f'warehouse = "{folder}/warehouse.duckdb"', ""]
        lines += ["[client]", f"requests_per_second = {rate}", f"concurrency = {concurrency}", ""]
        lines += tables
        env = {**os.environ, **keys}
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "poolbooks.toml"
        path.write_text("\n".join(lines))
        return path, env


def run_poolbooks(*args: str, env: dict[str, str]) -> float:
    """Wall seconds of one `poolbooks` command (it must succeed)."""
    started = time.perf_counter()
    subprocess.run([POOLBOOKS, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def write_section(results: Path, title: str, body: list[str]) -> None:
    """Put `## title` with `body` into RESULTS.md in place of its last run, keeping the rest."""
    text = results.read_text() if results.exists() else "# Benchmark results\n"
    head, _, rest = text.partition(f"\n## {title}\n")
    tail = rest.partition("\n## ")[2] if rest else ""
    section = "\n".join(["", f"## {title}", "", *body, ""])
    results.write_text(head.rstrip() + "\n" + section + (f"\n## {tail}" if tail else ""))
