"""Full and incremental ingest of N simulated accounts through the real CLI.

Starts `poolbooks simulate` in its own process, writes a config for its accounts, then times
`poolbooks ingest` (full, as the first run), `poolbooks ingest` again after the simulator's
clock moves one day (incremental), and reports requests from the simulator's own counter.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import Simulator, run_poolbooks


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


def timed_ingest(sim: Simulator, config: Path, env: dict[str, str], label: str) -> IngestFigures:
    sim.reset()
    wall = run_poolbooks("ingest", "--config", str(config), env=env)
    stats = sim.stats()
    return IngestFigures(
        label, wall, stats["requests"], stats["by_endpoint"].get("earn-history", 0)
    )


def measure(accounts: int, days: int, rate: float) -> list[IngestFigures]:
    with Simulator(accounts, days, f"rate={rate:g}") as sim, tempfile.TemporaryDirectory() as tmp:
        config, env = sim.write_config(Path(tmp), rate)
        full = timed_ingest(sim, config, env, "full")
        sim.advance(1)
        incremental = timed_ingest(sim, config, env, "incremental (+1 day)")
        return [full, incremental]


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
