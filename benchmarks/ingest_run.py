"""Full and incremental ingest of N simulated accounts through the real CLI.

Starts `poolbooks simulate` in its own process, writes a config for its accounts, then times
`poolbooks ingest` (full, as the first run), `poolbooks ingest` again after the simulator's
clock moves one day (incremental), and reports requests from the simulator's own counter.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.client_throughput import start_simulator
from pipelines.pool_api.simulated_pool import SimulatedPool

POOLBOOKS = str(Path(sys.executable).with_name("poolbooks"))


@dataclass(frozen=True)
class IngestFigures:
    label: str
    wall_s: float
    requests: int
    history_requests: int

    def line(self, rate: float) -> str:
        bound = self.requests / rate
        return (
            f"{self.label}: {self.requests} requests ({self.history_requests} earn-history) "
            f"in {self.wall_s:.2f}s; rate bound {bound:.2f}s, ratio {self.wall_s / bound:.2f}"
        )


def write_config(folder: Path, base: str, accounts: int, days: int, rate: float) -> dict[str, str]:
    pool = SimulatedPool(n_accounts=accounts, days=days)
    lines = [f'lake = "{folder}/lake"', f'warehouse = "{folder}/warehouse.duckdb"', ""]
    lines += ["[client]", f"requests_per_second = {rate}", "concurrency = 16", ""]
    env = dict(os.environ)
    for account in pool.accounts:
        name = f"BENCH_KEY_{account.name.upper()}"
        lines += [
            "[[accounts]]",
            f'name = "{account.name}"',
            f"puid = {account.puid}",
            f'access_key_env = "{name}"',
            f'coin = "{account.coin}"',
            f'base_url = "{base}"',
            "",
        ]
        env[name] = account.access_key
    (folder / "poolbooks.toml").write_text("\n".join(lines))
    return env


def timed_ingest(base: str, folder: Path, env: dict[str, str], label: str) -> IngestFigures:
    httpx.post(base + "/_sim/stats/reset")
    start = time.perf_counter()
    subprocess.run(
        [POOLBOOKS, "ingest", "--config", str(folder / "poolbooks.toml")],
        env=env,
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - start
    stats = httpx.get(base + "/_sim/stats").json()
    return IngestFigures(
        label, wall, stats["requests"], stats["by_endpoint"].get("earn-history", 0)
    )


def measure(accounts: int, days: int, rate: float) -> list[IngestFigures]:
    process, base = start_simulator(accounts, days, f"rate={rate}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            env = write_config(folder, base, accounts, days, rate)
            full = timed_ingest(base, folder, env, "full")
            httpx.post(base + "/_sim/clock", json={"advance_days": 1})
            incremental = timed_ingest(base, folder, env, "incremental (+1 day)")
            return [full, incremental]
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--rate", type=float, default=100.0, help="requests/s, pool and client")
    args = parser.parse_args()
    print(f"ingest of {args.accounts} accounts x {args.days} days, limit {args.rate:g} req/s")
    for figures in measure(args.accounts, args.days, args.rate):
        print("  " + figures.line(args.rate))


if __name__ == "__main__":
    main()
