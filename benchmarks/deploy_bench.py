"""`make bench-deploy`: the deployment's production shapes, figures appended to RESULTS.md.

D1  backfill throughput of the Celery deployment (PostgreSQL, dagster-daemon, Redis) with 1 and
    with 2 workers: N accounts x D days against the simulator answering in L ms (a real pool is
    slow; steps wait on it), pool_api slots = workers, one request in flight per step.
D2  the warehouse build with the lake on S3 (moto on loopback, read through pyarrow's S3
    filesystem) against the same lake on local disk: median of 3 `poolbooks build` each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.fs as pafs

from benchmarks.common import write_section
from benchmarks.warehouse_build import timed_build
from harness.backfill import launch_backfill, simulated_pool, wait_for_backfill
from harness.cluster import dagster_cluster
from harness.s3 import CREDENTIALS, moto_server
from harness.servers import postgres_server, redis_server
from harness.synthetic_lake import LakeShape, generate_lake, write_config

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "Deploy (`make bench-deploy`)"


def backfill_seconds(workers: int, accounts: int, days: int, latency_ms: int) -> tuple[float, int]:
    """Seconds from launch until every run ended, and how many runs succeeded."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        postgres_server() as postgres,
        redis_server() as redis_url,
        simulated_pool(Path(tmp) / "poolbooks", accounts, days, 100, latency_ms) as (
            _sim,
            config,
            keys,
        ),
        dagster_cluster(Path(tmp), postgres, redis_url, config, keys, workers, workers) as cluster,
    ):
        first, last = f"sim{1:03d}", f"sim{accounts:03d}"
        started = time.monotonic()
        backfill = launch_backfill(cluster, first, last)
        result = wait_for_backfill(cluster, backfill, started, 1800)
        ok = sum(run.status.value == "SUCCESS" for run in result.runs)
        return result.seconds, ok


def s3_build_ratio(accounts: int, days: int) -> tuple[float, float]:
    """Median build seconds with the lake local and on S3."""
    with tempfile.TemporaryDirectory() as tmp, moto_server() as endpoint:
        folder = Path(tmp)
        generate_lake(folder / "lake", LakeShape(accounts, days))
        local = median_build(write_config(folder))
        os.environ.update({**CREDENTIALS, "AWS_ENDPOINT_URL": endpoint})
        s3 = pafs.S3FileSystem(
            endpoint_override=endpoint, scheme="http", allow_bucket_creation=True
        )
        s3.create_dir("bench")
        pafs.copy_files(str(folder / "lake"), "bench/lake", pafs.LocalFileSystem(), s3)
        remote_folder = folder / "remote"
        remote_folder.mkdir()
        config = write_config(remote_folder)
        text = config.read_text().replace(
            f'lake = "{remote_folder}/lake"', 'lake = "s3://bench/lake"'
        )
        config.write_text(text)
        return local, median_build(config)


def median_build(config: Path, times: int = 3) -> float:
    """Full builds: an object store's lake is always built whole, the local one is too here."""
    return statistics.median(timed_build(config, "--full")[0] for _ in range(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--latency-ms", type=int, default=250, help="the pool's answer time")
    parser.add_argument("--s3-accounts", type=int, default=100)
    parser.add_argument("--s3-days", type=int, default=1095)
    args = parser.parse_args()
    started = time.perf_counter()
    lines: list[str] = []
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    backfills = {}
    for workers in (1, 2):
        seconds, ok = backfill_seconds(workers, args.accounts, args.days, args.latency_ms)
        backfills[workers] = seconds
        print(f"D1 {workers} worker(s): {seconds:.1f}s, {ok}/{args.accounts} runs succeeded")
        lines.append(
            f"- D1 backfill, {args.accounts} account partitions x {args.days} days, "
            f"pool answering in {args.latency_ms} ms, "
            f"{workers} Celery worker(s), pool_api = {workers}: **{seconds:.0f} s**, "
            f"{60 * args.accounts / seconds:.1f} accounts/min ({ok}/{args.accounts} runs succeeded)"
        )
    lines.append(f"- D1 speed-up of 2 workers over 1: **{backfills[1] / backfills[2]:.2f}x**")
    local, remote = s3_build_ratio(args.s3_accounts, args.s3_days)
    print(f"D2 build local {local:.1f}s, S3 {remote:.1f}s")
    lines.append(
        f"- D2 warehouse build, {args.s3_accounts} accounts x {args.s3_days} days, median of 3: "
        f"local {local:.1f} s, S3 (moto on loopback) {remote:.1f} s, "
        f"**S3/local = {remote / local:.2f}**"
    )
    lines += [
        "",
        f"Last run started {stamp} UTC on {os.cpu_count()} cores, {time.perf_counter() - started:.0f} s.",
    ]
    write_section(RESULTS, SECTION, lines)
    print("\n".join(lines))
    sys.exit(0)


if __name__ == "__main__":
    main()
