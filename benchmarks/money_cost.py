"""P2: what the books in money (prices, values, the mining P&L) cost B5's full build. The code
from before them, checked out beside this one, and today's build B5's lake in turn, at the same
`memory_limit`."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.common import POOLBOOKS, Row
from poolbooks.warehouse.settings import DEFAULT_DUCKDB_MEMORY_LIMIT

REPO = Path(__file__).resolve().parents[1]
# the last commit before the lake's prices dataset: B5 without prices, values or P&L
BEFORE_PRICES = "b0663e4"
# the before code's own default, at which the target was set, then today's default
MEMORY_LIMITS = ("2GB", DEFAULT_DUCKDB_MEMORY_LIMIT)


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one build, under GNU time."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *command],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    wall, peak_kb = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(peak_kb) / 1024


def _config(text: str, warehouse: Path, memory_limit: str) -> str:
    """A config's text with another warehouse file and memory_limit."""
    text = re.sub(r'(?m)^warehouse = ".*"$', f'warehouse = "{warehouse}"', text)
    return re.sub(r'(?m)^memory_limit = ".*"$', f'memory_limit = "{memory_limit}"', text)


def _pairs(folder: Path, before: Path, config: Path, memory_limit: str, pairs: int) -> Row:
    """Builds of the before code and today's, alternated, at one memory_limit."""
    lake = re.search(r'(?m)^lake = "(.*)"$', config.read_text())
    lake_line = f'lake = "{lake.group(1) if lake else folder / "lake"}"\n'
    old_config = folder / f"before-{memory_limit}.toml"
    old_warehouse = folder / f"before-{memory_limit}.duckdb"
    old_config.write_text(
        _config(
            f'{lake_line}warehouse = ""\n\n[duckdb]\nmemory_limit = ""\nthreads = 2\n\n'
            '[[accounts]]\nname = "synthetic"\npuid = 1\naccess_key_env = "UNUSED"\n',
            old_warehouse,
            memory_limit,
        )
    )
    new_config = folder / f"today-{memory_limit}.toml"
    new_warehouse = folder / f"today-{memory_limit}.duckdb"
    new_config.write_text(_config(config.read_text(), new_warehouse, memory_limit))
    env = {**os.environ, "PYTHONPATH": str(before / "pipelines")}
    old_command = [sys.executable, "-c", "from poolbooks.cli import app; app()"]
    old_runs, new_runs = [], []
    for _ in range(pairs):
        for warehouse in (old_warehouse, new_warehouse):
            for leftover in warehouse.parent.glob(warehouse.name + "*"):
                leftover.unlink()
        old_runs.append(_timed([*old_command, "build", "--config", str(old_config)], env))
        new_runs.append(_timed([POOLBOOKS, "build", "--full", "--config", str(new_config)]))
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


def p2_money_cost(folder: Path, config: Path, pairs: int = 3) -> list[Row]:
    """P2 at each of MEMORY_LIMITS, on the lake `config` (B5's, every account costed) reads."""
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
        return [_pairs(folder, before, config, limit, pairs) for limit in MEMORY_LIMITS]
    finally:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(before)],
            capture_output=True,
        )
