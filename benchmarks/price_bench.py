"""P1: `poolbooks prices` for 2 coins x 10 years against the simulated Coinbase at its rate limit.

The simulator runs in its own process on the wall clock with `rate=R`, the configured
`[prices] requests_per_second`: the fetch cannot beat requests / R, and the figure says how
close the whole command (start-up and commit included) comes to it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from benchmarks.common import Row, run_poolbooks
from harness.loopback import free_port, until_ready
from poolbooks.demo_config import config_tables
from poolbooks.simulator.pool import SimulatedPool

RATE = 5.0  # [prices] requests_per_second's default: half of Coinbase's public limit
YEARS = 10
ACCOUNTS = 3  # sim001 and sim002 mine BTC, sim003 BCH: two coins


def simulate(port: int) -> subprocess.Popen[bytes]:
    """`poolbooks simulate` on the wall clock, limited to RATE requests a second."""
    command = [sys.executable, "-c", "from poolbooks.cli import main; main()", "simulate"]
    command += ["--port", str(port), "--accounts", str(ACCOUNTS), "--days", "30"]
    command += ["--clock", "wall", "--faults", f"rate={RATE:g}"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_config(folder: Path, base: str) -> tuple[Path, dict[str, str]]:
    tables, keys = config_tables(SimulatedPool(n_accounts=ACCOUNTS, days=30), base)
    lines = [f'lake = "{folder}/lake"', f'warehouse = "{folder}/warehouse.duckdb"', ""]
    lines += ["[prices]", f'base_url = "{base}"', f"requests_per_second = {RATE:g}", ""]
    path = folder / "poolbooks.toml"
    path.write_text("\n".join(lines + tables))
    return path, {**os.environ, **keys}


def p1_price_fetch(runs: int = 3) -> Row:
    """The median of `runs` first fetches, each into a new lake."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = simulate(port)
    walls, requests, limited = [], [], []
    try:
        ready = (httpx.HTTPError,)
        until_ready(lambda: httpx.get(base + "/_sim/stats", timeout=1), "simulator", ready)
        since = datetime.now(UTC).date() - timedelta(days=365 * YEARS + YEARS // 4)
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                config, env = write_config(Path(tmp), base)
                time.sleep(1)  # the simulator's bucket full again, as a new day's run finds it
                httpx.post(base + "/_sim/stats/reset")
                args = ("prices", "--config", str(config), "--since", str(since))
                walls.append(run_poolbooks(*args, env=env))
                stats = httpx.get(base + "/_sim/stats").json()
                requests.append(int(stats["requests"]))
                limited.append(int(stats["rate_limited"]))
    finally:
        process.terminate()
        process.wait(timeout=10)
    wall = statistics.median(walls)
    bound = statistics.median(requests) / RATE
    ratio = wall / bound
    return Row(
        "P1",
        f"`poolbooks prices`: 2 coins x {YEARS} years of daily candles from the simulated "
        f"Coinbase at its limit, {RATE:g} req/s, median of {runs}",
        f"{wall:.2f}s, {max(requests)} requests, {sum(limited)} x 429",
        f"{bound:.2f}s (requests / limit)",
        ratio,
        "<= 1.15, zero 429s",
        ratio <= 1.15 and sum(limited) == 0,
    )


if __name__ == "__main__":
    print(" | ".join(p1_price_fetch().cells()))
