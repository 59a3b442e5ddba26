"""Client throughput: earn-history pages per second against the simulator on loopback.

The simulator runs in its own process (`poolbooks simulate`), so the client's figures are one
core's worth: wall pages/s and pages per CPU-second of the client process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass

import anyio
import httpx

from harness.loopback import free_port, until_ready
from poolbooks.demo_config import config_accounts
from poolbooks.http.settings import ClientSettings
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.paging import collect_earn_history
from poolbooks.simulator.pool import SimulatedPool


@dataclass(frozen=True)
class Throughput:
    pages: int
    rows: int
    wall_s: float
    cpu_s: float

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s

    @property
    def pages_per_cpu_s(self) -> float:
        return self.pages / self.cpu_s


def start_simulator(
    accounts: int, days: int, faults: str = ""
) -> tuple[subprocess.Popen[bytes], str]:
    """`poolbooks simulate` in a child process; returns it and its base URL once it answers."""
    port = free_port()
    command = [sys.executable, "-c", "from poolbooks.cli import main; main()", "simulate"]
    command += ["--port", str(port), "--accounts", str(accounts), "--days", str(days)]
    if faults:
        command += ["--faults", faults]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        stats = base + "/_sim/stats"
        until_ready(lambda: httpx.get(stats, timeout=1), "simulator", (httpx.TransportError,))
    except AssertionError:
        process.kill()
        raise
    return process, base


async def _walk_all(base: str, accounts: int, days: int, concurrency: int) -> Throughput:
    pool = SimulatedPool(n_accounts=accounts, days=days)
    configured = config_accounts(pool, base)
    settings = ClientSettings(requests_per_second=100_000, concurrency=concurrency)
    pages = rows = 0
    async with PoolClient(settings) as client:
        # warm the simulator's caches and the connection pool
        await client.earn_history_page(configured[0], 1)
        wall, cpu = time.perf_counter(), time.process_time()
        async with anyio.create_task_group() as group:
            results: list[tuple[int, int]] = []

            async def walk(index: int) -> None:
                fetched, found = await collect_earn_history(client, configured[index])
                results.append((len(fetched), len(found)))

            for index in range(accounts):
                group.start_soon(walk, index)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pages = sum(p for p, _ in results)
    rows = sum(r for _, r in results)
    return Throughput(pages, rows, wall, cpu)


def measure(accounts: int = 20, days: int = 1095, concurrency: int = 8) -> Throughput:
    process, base = start_simulator(accounts, days)
    try:
        return anyio.run(_walk_all, base, accounts, days, concurrency)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    result = measure(args.accounts, args.days, args.concurrency)
    print(
        f"client throughput ({os.cpu_count()} cores): {result.pages} pages, {result.rows} rows in "
        f"{result.wall_s:.2f}s wall, {result.cpu_s:.2f}s client CPU -> "
        f"{result.pages_per_s:.0f} pages/s, {result.pages_per_cpu_s:.0f} pages per CPU-second"
    )


if __name__ == "__main__":
    main()
