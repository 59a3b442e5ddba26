"""Warehouse build time and peak memory on a synthetic lake, through the real CLI.

Runs `poolbooks build` under `/usr/bin/time -v` (peak RSS of the process) on a lake of N
accounts x D days of history with re-observations, daily prices, and optionally days of
10-minute snapshots; every account has a power draw and the config a tariff and fixed costs
(`--no-costs`: none), so `daily_pnl` computes every figure.
With --rebuild, then times builds over the published warehouse (each compared with it by the
shrink guard) against builds with --allow-shrink (not compared), and the guard's query alone.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from harness.synthetic_lake import LakeShape, generate_lake, write_config
from poolbooks.warehouse.settings import DEFAULT_DUCKDB_MEMORY_LIMIT
from poolbooks.warehouse.shrink_guard import refuse_to_shrink

POOLBOOKS = str(Path(sys.executable).with_name("poolbooks"))


@dataclass(frozen=True)
class BuildFigures:
    seconds: float
    peak_rss_mib: float
    rows: dict[str, int]


def timed_build(config: Path, *options: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `poolbooks build`."""
    return timed_command([POOLBOOKS, "build", "--config", str(config), *options])


def timed_command(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command, under GNU time."""
    seconds, peak, _ = timed_output(command, env)
    return seconds, peak


def timed_output(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) and standard output of one command, under GNU time."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=True, env=env
    )
    seconds = time.perf_counter() - started
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    peak = int(match.group(1)) / 1024 if match else float("nan")
    return seconds, peak, result.stdout


@dataclass(frozen=True)
class RebuildFigures:
    guarded: list[tuple[float, float]]  # builds over the published warehouse, compared with it
    unguarded: list[tuple[float, float]]  # the same with --allow-shrink: no comparison
    guard_seconds: list[float]  # the guard's attach and anti-join alone


def guard_seconds(warehouse: Path, folder: Path) -> float:
    """The shrink guard alone, as a build runs it: the published warehouse attached to a copy
    of itself (nothing lost, so every row is compared)."""
    building = folder / "building.duckdb"
    shutil.copyfile(warehouse, building)
    with duckdb.connect(str(building)) as con:
        started = time.perf_counter()
        refuse_to_shrink(con, warehouse, "benchmark")
        seconds = time.perf_counter() - started
    building.unlink()
    return seconds


def measure_rebuilds(root: Path, config: Path, repeat: int) -> RebuildFigures:
    """Alternate guarded and unguarded builds `repeat` times each, so drift hits both alike."""
    figures = RebuildFigures([], [], [])
    for _ in range(repeat):
        figures.guarded.append(timed_build(config, "--full"))
        figures.unguarded.append(timed_build(config, "--full", "--allow-shrink"))
        figures.guard_seconds.append(guard_seconds(root / "warehouse.duckdb", root))
    return figures


def measure(
    shape: LakeShape,
    folder: Path | None = None,
    memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT,
    costs: bool = True,
) -> BuildFigures:
    with tempfile.TemporaryDirectory() as tmp:
        root = folder or Path(tmp)
        rows = generate_lake(root / "lake", shape)
        config = write_config(root, memory_limit, costs=shape if costs else None)
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
    parser.add_argument(
        "--no-costs",
        action="store_true",
        help="a config without power draws or [costs]: daily_pnl has no costs to compute",
    )
    parser.add_argument(
        "--rebuild",
        type=int,
        default=0,
        metavar="N",
        help="then N builds over the published warehouse with the shrink guard and N without",
    )
    args = parser.parse_args()
    shape = LakeShape(args.accounts, args.days, snapshot_days=args.snapshot_days)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        figures = measure(shape, root, memory_limit=args.memory_limit, costs=not args.no_costs)
        print(
            f"build of {args.accounts} accounts x {args.days} days, {args.snapshot_days} days of "
            f"snapshots, DuckDB memory_limit {args.memory_limit} ({figures.rows}): "
            f"{figures.seconds:.1f}s wall, peak RSS {figures.peak_rss_mib:.0f} MiB"
        )
        if args.rebuild:
            rebuilds = measure_rebuilds(root, root / "poolbooks.toml", args.rebuild)
            print(
                f"rebuild over the published warehouse, median of {args.rebuild}: "
                f"{_builds(rebuilds.guarded)} with the shrink guard, "
                f"{_builds(rebuilds.unguarded)} with --allow-shrink; "
                f"the guard alone {_median(rebuilds.guard_seconds, 3)}"
            )


def _builds(runs: list[tuple[float, float]]) -> str:
    peak = max(rss for _, rss in runs)
    return f"{_median([seconds for seconds, _ in runs])}, peak RSS {peak:.0f} MiB"


def _median(seconds: list[float], digits: int = 1) -> str:
    values = ", ".join(f"{s:.{digits}f}" for s in seconds)
    return f"{statistics.median(seconds):.{digits}f}s ({values})"


if __name__ == "__main__":
    main()
