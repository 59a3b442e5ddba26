"""P2: what the books in money (prices, values, the mining P&L) cost B5's full build. The code
from before them, checked out beside this one, and today's build B5's lake in turn, at the same
`memory_limit`."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.common import POOLBOOKS, Row
from benchmarks.warehouse_build import timed_command
from harness.synthetic_lake import LakeShape, write_config
from poolbooks.warehouse.settings import DEFAULT_DUCKDB_MEMORY_LIMIT

REPO = Path(__file__).resolve().parents[1]
# the last commit before the lake's prices dataset: B5 without prices, values or P&L
BEFORE_PRICES = "b0663e4"
# the before code's own default, at which the target was set, then today's default
MEMORY_LIMITS = ("2GB", DEFAULT_DUCKDB_MEMORY_LIMIT)


def _pairs(folder: Path, before: Path, shape: LakeShape, memory_limit: str, pairs: int) -> Row:
    """Builds of the before code (which knows no costs) and today's (every account costed),
    alternated, at one memory_limit, each into a warehouse of its own."""
    old_config = write_config(folder, memory_limit, name=f"before-{memory_limit}")
    new_config = write_config(folder, memory_limit, costs=shape, name=f"today-{memory_limit}")
    env = {**os.environ, "PYTHONPATH": str(before / "pipelines")}
    old_command = [sys.executable, "-c", "from poolbooks.cli import app; app()", "build"]
    old_runs, new_runs = [], []
    for _ in range(pairs):
        for config in (old_config, new_config):
            for leftover in folder.glob(config.stem + ".duckdb*"):
                leftover.unlink()
        old_runs.append(timed_command([*old_command, "--config", str(old_config)], env))
        new_runs.append(timed_command([POOLBOOKS, "build", "--full", "--config", str(new_config)]))
    old = statistics.median(wall for wall, _ in old_runs)
    new = statistics.median(wall for wall, _ in new_runs)
    peak = max(rss for _, rss in new_runs)
    ratio = new / old
    return Row(
        "P2",
        f"B5 with the books in money against the code before them ({BEFORE_PRICES}), "
        f"memory_limit {memory_limit} for both, {pairs} builds each alternated, medians",
        f"{new:.1f}s ({', '.join(f'{w:.1f}' for w, _ in new_runs)}), peak RSS {peak:.0f} MiB",
        f"before {old:.1f}s ({', '.join(f'{w:.1f}' for w, _ in old_runs)}), peak RSS "
        f"{max(rss for _, rss in old_runs):.0f} MiB",
        ratio,
        "<= 1.10 (at most 10 % slower); peak RSS <= 2048 MiB",
        ratio <= 1.10 and peak <= 2048,
    )


def p2_money_cost(folder: Path, shape: LakeShape, pairs: int = 3) -> list[Row]:
    """P2 at each of MEMORY_LIMITS, on B5's lake in `folder` (of `shape`)."""
    before = folder / "before-prices"
    added = subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(before), BEFORE_PRICES],
        capture_output=True,
        text=True,
    )
    if added.returncode != 0:
        reason = (added.stderr.strip().splitlines() or ["git failed"])[-1]
        return [
            Row(
                "P2",
                "B5 with the books in money against the code before them",
                "",
                reason,
                None,
                "<= 1.10",
                False,
            )
        ]
    try:
        return [_pairs(folder, before, shape, limit, pairs) for limit in MEMORY_LIMITS]
    finally:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(before)],
            capture_output=True,
        )
