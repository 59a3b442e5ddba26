"""Warehouse build time and peak memory on a synthetic lake, through the real CLI.

Runs `poolbooks build` under `/usr/bin/time -v` (peak RSS of the process) on a lake of N
accounts x D days of history with re-observations, and optionally days of 10-minute snapshots.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.synthetic_lake import LakeShape, generate_lake
from pipelines.config import DEFAULT_DUCKDB_MEMORY_LIMIT

POOLBOOKS = str(Path(sys.executable).with_name("poolbooks"))


@dataclass(frozen=True)
class BuildFigures:
    seconds: float
    peak_rss_mib: float
    rows: dict[str, int]


def write_config(
    folder: Path, memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT, threads: int = 2
) -> Path:
    path = folder / "poolbooks.toml"
    path.write_text(
        f'lake = "{folder}/lake"\nwarehouse = "{folder}/warehouse.duckdb"\n\n'
        f'[duckdb]\nmemory_limit = "{memory_limit}"\nthreads = {threads}\n\n'
        '[[accounts]]\nname = "synthetic"\npuid = 1\naccess_key_env = "UNUSED"\n'
    )
    return path


def timed_build(config: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `poolbooks build`."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-v", POOLBOOKS, "build", "--config", str(config)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    peak = int(match.group(1)) / 1024 if match else float("nan")
    return seconds, peak


def measure(
    shape: LakeShape, folder: Path | None = None, memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT
) -> BuildFigures:
    with tempfile.TemporaryDirectory() as tmp:
        root = folder or Path(tmp)
        rows = generate_lake(root / "lake", shape)
        config = write_config(root, memory_limit)
        seconds, peak = timed_build(config)
        return BuildFigures(seconds, peak, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument(
        "--snapshot-days", type=int, default=0, help="days of 10-minute snapshots per account"
    )
    parser.add_argument("--memory-limit", default=DEFAULT_DUCKDB_MEMORY_LIMIT)
    args = parser.parse_args()
    shape = LakeShape(args.accounts, args.days, snapshot_days=args.snapshot_days)
    figures = measure(shape, memory_limit=args.memory_limit)
    print(
        f"build of {args.accounts} accounts x {args.days} days, {args.snapshot_days} days of "
        f"snapshots, DuckDB memory_limit {args.memory_limit} ({figures.rows}): "
        f"{figures.seconds:.1f}s wall, peak RSS {figures.peak_rss_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
