"""B1, B3, B4: ingest against `poolbooks simulate` with latency and a rate limit."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import Row, Simulator, run_poolbooks
from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage

LATENCY = "20ms"


def b1_full_ingest(accounts: int = 50, days: int = 1095, rate: float = 100) -> Row:
    with (
        Simulator(accounts, days, f"latency={LATENCY},rate={rate:g}") as sim,
        tempfile.TemporaryDirectory() as tmp,
    ):
        config, env = sim.write_config(Path(tmp), rate)
        sim.reset()
        wall = run_poolbooks("ingest", "--config", str(config), env=env)
        stats = sim.stats()
    bound = stats["requests"] / rate
    ratio = wall / bound
    return Row(
        "B1",
        f"full ingest, {accounts} accounts x {days // 365} years, {LATENCY} latency, {rate:g} req/s",
        f"{wall:.2f}s, {stats['requests']} requests, {stats['rate_limited']} x 429",
        f"{bound:.2f}s (requests / limit)",
        ratio,
        "<= 1.15, zero 429s",
        ratio <= 1.15 and stats["rate_limited"] == 0,
    )


def b3_incremental(accounts: int = 50, days: int = 1095, rate: float = 100) -> Row:
    with (
        Simulator(accounts, days, f"latency={LATENCY},rate={rate:g}") as sim,
        tempfile.TemporaryDirectory() as tmp,
    ):
        config, env = sim.write_config(Path(tmp), rate)
        run_poolbooks("ingest", "--config", str(config), env=env)
        walls, history, requests = [], [], []
        for _ in range(3):
            sim.advance(1)
            sim.reset()
            walls.append(run_poolbooks("ingest", "--config", str(config), env=env))
            stats = sim.stats()
            history.append(stats["by_endpoint"].get("earn-history", 0))
            requests.append(stats["requests"])
    wall = sorted(walls)[1]
    bound = sorted(requests)[1] / rate
    ratio = wall / bound
    pages = max(history)
    return Row(
        "B3",
        f"incremental ingest after the clock moves a day ({accounts} accounts), median of 3",
        f"{wall:.2f}s, {pages} earn-history requests ({pages / accounts:.2f} per account)",
        f"{bound:.2f}s (requests / limit)",
        ratio,
        "<= 1.2; history requests <= 1.1 x accounts",
        ratio <= 1.2 and pages <= 1.1 * accounts,
    )


def b4_snapshot(accounts: int = 1000, rate: float = 500) -> Row:
    with Simulator(accounts, 30, f"rate={rate:g}") as sim, tempfile.TemporaryDirectory() as tmp:
        config, env = sim.write_config(Path(tmp), rate, concurrency=32)
        sim.reset()
        wall = run_poolbooks("snapshot", "--config", str(config), env=env)
        stats = sim.stats()
        storage = LakeStorage(str(Path(tmp) / "lake"))
        files = {
            d: len(readable_files(storage, d).paths)
            for d in ("account_info", "earn_stats", "hashrate", "worker_stats", "pool_stats")
        }
    bound = stats["requests"] / rate
    ratio = wall / bound
    return Row(
        "B4",
        f"snapshot of {accounts} accounts at {rate:g} req/s",
        f"{wall:.2f}s, {stats['requests']} requests, {max(files.values())} file(s) per dataset",
        f"{bound:.2f}s (requests / limit)",
        ratio,
        "<= 1.2; <= 1 file per dataset",
        ratio <= 1.2 and max(files.values()) <= 1,
    )


if __name__ == "__main__":
    for row in (b1_full_ingest(), b3_incremental(), b4_snapshot()):
        print(" | ".join(row.cells()))


def b2_peers(accounts: int = 50, days: int = 1095, rate: float = 100) -> list[Row]:
    """poolbooks, a naive sequential httpx loop and a dlt rest_api pipeline, one simulator."""
    import json
    import subprocess
    import sys
    import time

    from benchmarks.peers.naive import naive_ingest
    from poolbooks.simulator.pool import SimulatedPool

    keys = [(a.puid, a.access_key) for a in SimulatedPool(n_accounts=accounts, days=days).accounts]
    walls: dict[str, float] = {}
    with (
        Simulator(accounts, days, f"latency={LATENCY},rate={rate:g}") as sim,
        tempfile.TemporaryDirectory() as tmp,
    ):
        folder = Path(tmp)
        config, env = sim.write_config(folder / "poolbooks", rate)
        walls["poolbooks"] = run_poolbooks("ingest", "--config", str(config), env=env)
        started = time.perf_counter()
        naive_ingest(sim.base, keys, folder / "naive.csv")
        walls["naive"] = time.perf_counter() - started
        accounts_file = folder / "accounts.json"
        accounts_file.write_text(json.dumps(keys))
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.peers.dlt_pipeline",
                sim.base,
                str(folder / "dlt"),
                str(accounts_file),
            ],
            check=True,
            capture_output=True,
        )
        walls["dlt"] = time.perf_counter() - started
    rows = []
    for peer in ("naive", "dlt"):
        ratio = walls[peer] / walls["poolbooks"]
        description = {
            "naive": "sequential httpx loop, rows appended per page",
            "dlt": "dlt rest_api pipeline writing Parquet",
        }[peer]
        rows.append(
            Row(
                "B2",
                f"B1's ingest against a {description}",
                f"{walls[peer]:.2f}s",
                f"poolbooks {walls['poolbooks']:.2f}s",
                ratio,
                "> 1 (poolbooks faster)",
                ratio > 1,
            )
        )
    return rows
