"""`make bench`: every benchmark, one table printed and written to benchmarks/RESULTS.md."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.client_throughput import measure as client_throughput
from benchmarks.common import Row, write_section
from benchmarks.ingest_bench import b1_full_ingest, b2_peers, b3_incremental, b4_snapshot
from benchmarks.price_bench import p1_price_fetch
from benchmarks.reparse_bench import measure as reparse_figures
from benchmarks.warehouse_bench import b5_b6_build, b7_compaction, b8_demo, b11_scale

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = ["id", "what", "measured", "reference", "ratio", "target", "met"]
PROFILE_TITLE = "Where B5's build goes (from the same run)"


def c1_client() -> Row:
    result = client_throughput(accounts=20, days=1095, concurrency=8)
    return Row(
        "C1",
        "client alone: earn-history walk of 20 accounts x 3 years, no latency, no limit",
        f"{result.pages_per_s:.0f} pages/s wall, {result.pages_per_cpu_s:.0f} per client CPU-s",
        f"{result.pages} pages in {result.wall_s:.2f}s",
        None,
        "(figure only)",
        True,
    )


def r1_reparse(folder: Path) -> Row:
    f = reparse_figures(folder, accounts=1000, days=1095)
    return Row(
        "R1",
        f"`poolbooks reparse` of a {f.accounts}-account x 3-year archive ({f.pages} pages, "
        f"{f.rows:,} history rows)",
        f"{f.first_s:.1f}s deriving every row ({f.rows / f.first_s:,.0f} rows/s), "
        f"{f.second_s:.1f}s again with nothing to change; peak RSS {f.peak_rss_mib:.0f} MiB",
        f"no request made (fetching it again: {f.pages:,} requests)",
        None,
        "(figure only)",
        True,
    )


def main() -> None:
    started = time.perf_counter()
    rows: list[Row] = [b1_full_ingest(), *b2_peers(), b3_incremental(), b4_snapshot()]
    rows.append(p1_price_fetch())
    with tempfile.TemporaryDirectory() as tmp:
        built, profile = b5_b6_build(Path(tmp))
        rows += built
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(b11_scale(Path(tmp)))
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(b7_compaction(Path(tmp)))
    rows += [b8_demo(), c1_client()]
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(r1_reparse(Path(tmp)))
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += [
        "| " + " | ".join(cell.replace("|", "/") for cell in row.cells()) + " |" for row in rows
    ]
    table = "\n".join(lines)
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores"
    text = (
        "# Benchmark results\n\n"
        f"Last run: {stamp}; `make bench` took {time.perf_counter() - started:.0f} s.\n"
        "Ratios divide the measured figure by the reference (for B2 and B6: the peer's time by\n"
        "poolbooks'). How each row is measured: `benchmarks/*.py`; what the misses mean:\n"
        "`benchmarks/README.md`.\n\n"
        f"{table}\n"
    )
    old = RESULTS.read_text() if RESULTS.exists() else ""
    kept = old.partition("\n## ")[2]  # the sections of `make chaos` and `make bench-deploy`
    RESULTS.write_text(text + (f"\n## {kept}" if kept else ""))
    write_section(RESULTS, PROFILE_TITLE, profile.lines())
    print(text)
    print("\n".join([f"## {PROFILE_TITLE}", "", *profile.lines()]))


if __name__ == "__main__":
    main()
