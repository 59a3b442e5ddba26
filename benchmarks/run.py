"""`make bench`: run every benchmark, print one table, write benchmarks/RESULTS.md."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.client_throughput import measure

RESULTS = Path(__file__).with_name("RESULTS.md")


def main() -> None:
    throughput = measure(accounts=20, days=1095, concurrency=8)
    rows = [
        (
            "C1",
            "client: full earn-history walk, 20 accounts x 3 years, simulator on loopback",
            f"{throughput.pages_per_s:.0f} pages/s wall, "
            f"{throughput.pages_per_cpu_s:.0f} pages per client CPU-second",
            f"{throughput.pages} pages in {throughput.wall_s:.2f}s",
        )
    ]
    header = "| id | what | measured | reference |\n|---|---|---|---|\n"
    table = header + "".join(f"| {' | '.join(row)} |\n" for row in rows)
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores"
    text = f"# Benchmark results\n\nLast run: {stamp}. Command: `make bench`.\n\n{table}"
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
