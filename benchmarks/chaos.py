"""`make chaos`: the long adversarial loops, with their figures appended to RESULTS.md.

1. Kills: SIGKILL `poolbooks ingest`, `compact` or `build` at 50 random moments (half of them
   just after a write began); after each,
   read the lake as it was left (it must read), re-run the command, rebuild, and compare the
   warehouse with a fault-free one, table by table.
2. Load: a 3,650-day history for 200 accounts backfilled through Dagster (account partitions,
   pool limit 4) against a simulator that answers 429 to 5% of requests on top of its rate
   limit: every partition once, no duplicate row, no request over the limit.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.common import POOLBOOKS, Simulator, write_section
from harness.warehouse_rows import contents, mart_names

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("RESULTS.md")
# Every mart is compared; hashrate_daily without its snapshot count, which grows with
# every ingest (each takes a snapshot) while the simulator's clock stands still.
MARTS = mart_names()


def marts(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    return contents(warehouse, MARTS, exclude={"hashrate_daily": ["snapshots"]})


def poolbooks(command: str, config: Path, env: dict[str, str]) -> None:
    subprocess.run(
        [POOLBOOKS, command, "--config", str(config)], env=env, check=True, capture_output=True
    )


def lake_reads(lake: Path) -> bool:
    """Every committed Parquet file of the lake reads whole."""
    files = [str(p) for p in lake.rglob("*.parquet")]
    try:
        duckdb.execute(
            "select count(*) from read_parquet($files, union_by_name = true)", {"files": files}
        ).fetchall()
    except duckdb.Error:
        return False
    return True


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def timed(command: str, config: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    poolbooks(command, config, env)
    return time.perf_counter() - started


def writing(folder: Path) -> bool:
    """Whether a write was under way: a temporary, a commit journal or a build in progress."""
    lake = folder / "lake"
    return (
        any(lake.rglob(".tmp-*"))
        or any((lake / "_commits").glob("*.json"))
        or any(folder.glob(".warehouse.duckdb.building*"))
    )


def kills(tries: int = 50, seed: int = 7) -> dict[str, Any]:
    """SIGKILL a command, half the time at a random moment of its run (its undisturbed
    duration measured first), half the time just after one of its writes began, until
    `tries` kills have landed on a live process."""
    rng = random.Random(seed)
    figures: dict[str, Any] = {
        "tries": tries,
        "survived": 0,
        "missed": 0,
        "during_writes": 0,
        "published_untouched": 0,
    }
    by_command = dict.fromkeys(("ingest", "compact", "build (update)", "build --full"), 0)
    with Simulator(10, 365, "latency=5ms") as sim, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reference_config, env = sim.write_config(folder / "reference", 500)
        poolbooks("ingest", reference_config, env)
        poolbooks("build", reference_config, env)
        reference = marts(folder / "reference" / "warehouse.duckdb")
        config, env = sim.write_config(folder / "chaos", 500)
        chaos = folder / "chaos"
        durations = {"ingest": timed("ingest", config, env)}
        durations["compact"] = timed("compact", config, env)
        durations["build"] = timed("build", config, env)
        landed = 0
        while landed < tries:
            command = rng.choice(["ingest", "compact", "build"])
            if command in ("compact", "build"):
                # something to merge; for a build, new files: half the builds update the
                # published warehouse with them, half rebuild it whole (--full)
                poolbooks("ingest", config, env)
            args = [POOLBOOKS, command, "--config", str(config)]
            if command in ("ingest", "build") and rng.random() < 0.5:
                args.append("--full")
            kind = (
                command
                if command != "build"
                else ("build --full" if "--full" in args else "build (update)")
            )
            published = digest(chaos / "warehouse.duckdb")
            process = subprocess.Popen(
                args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            if rng.random() < 0.5:
                time.sleep(rng.uniform(0.0, durations[command]))  # any moment of its life
            else:  # the moment a write starts (a temporary, a journal, a build file)
                deadline = time.monotonic() + 5 * durations[command]
                while process.poll() is None and not writing(chaos):
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.0005)
                time.sleep(rng.uniform(0.0, 0.05))
            in_write = writing(chaos)
            process.send_signal(signal.SIGKILL)
            if process.wait() != -signal.SIGKILL:
                figures["missed"] += 1  # it had finished: not a kill, try another moment
                continue
            landed += 1
            by_command[kind] += 1
            figures["during_writes"] += in_write or writing(chaos)
            # the published warehouse is byte for byte as it was: a killed build, whole or
            # an update, publishes nothing, and no other command writes it
            untouched = digest(chaos / "warehouse.duckdb") == published
            figures["published_untouched"] += untouched
            ok = lake_reads(chaos / "lake") and untouched
            poolbooks(command, config, env)
            poolbooks("build", config, env)
            clean = not any((chaos / "lake").rglob(".tmp-*")) and not writing(chaos)
            got = marts(chaos / "warehouse.duckdb")
            if ok and clean and got == reference:
                figures["survived"] += 1
            else:
                differing = [name for name in MARTS if got[name] != reference[name]]
                print(
                    f"kill of {command} not survived: lake reads {ok}, leftovers {not clean}, "
                    f"tables differ {differing}"
                )
    figures["by_command"] = by_command
    figures["durations"] = durations
    return figures


def load(accounts: int = 200, days: int = 3650, rate: float = 400) -> dict[str, Any]:
    with (
        Simulator(accounts, days, f"429=0.05,retry_after=1,rate={rate:g}") as sim,
        tempfile.TemporaryDirectory() as tmp,
    ):
        folder = Path(tmp)
        config, env = sim.write_config(folder, rate, concurrency=16)
        home = folder / "dagster_home"
        home.mkdir()
        (home / "dagster.yaml").write_text(
            "concurrency:\n  pools:\n    default_limit: 4\ntelemetry:\n  enabled: false\n"
        )
        env.update({"DAGSTER_HOME": str(home), "POOLBOOKS_CONFIG": str(config)})
        sim.reset()
        started = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).with_name("dagster")),
                "asset",
                "materialize",
                "-m",
                "poolbooks_dagster.location",
                "--select",
                "earn_history,earn_history_walks",
                "--partition-range",
                "sim001...sim200",
            ],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        wall = time.perf_counter() - started
        stats = sim.stats()
        lake = folder / "lake"
        walks = duckdb.execute(
            f"select count(*), count(distinct account), bool_and(complete), min(mode), max(mode) "
            f"from read_parquet('{lake}/earn_history_walks/*/*.parquet')"
        ).fetchall()[0]
        # a day paid in several payments is several rows: a row's key has its payment
        rows, keys, days_seen = duckdb.execute(
            "select count(*), count(distinct (account, date, coalesce(payment_tx, ''))), "
            f"count(distinct (account, date)) from read_parquet('{lake}/earn_history/*/*.parquet')"
        ).fetchall()[0]
    return {
        "accounts": accounts,
        "days": days,
        "wall_s": wall,
        "requests": stats["requests"],
        "over_limit": stats["rate_limited"],
        "injected_429": stats["faults_injected"].get("429", 0),
        "walks": walks,
        "rows": rows,
        "distinct_rows": keys,
        "distinct_days": days_seen,
    }


def main() -> None:
    started = time.perf_counter()
    k = kills()
    figures = load()
    walks = figures["walks"]
    commands = ", ".join(
        f"{name} {count} (runs {k['durations'][name.split()[0]]:.1f} s undisturbed)"
        for name, count in k["by_command"].items()
    )
    lines = [
        f"Last run: {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on {os.cpu_count()} cores, {time.perf_counter() - started:.0f} s.",
        "",
        f"- Kills survived: **{k['survived']} / {k['tries']}** SIGKILLs that landed on a live process ({commands}); "
        f"{k['during_writes']} of them caught a write under way (a temporary, a commit journal or a build file present), "
        f"and {k['missed']} more moments came after the process had finished and were not counted. After each, the lake read whole, "
        f"the published warehouse was byte for byte as before the kill ({k['published_untouched']} / {k['tries']}), "
        "the re-run left no temporary or journal, and the rebuilt warehouse equalled the fault-free one, table by table.",
        f"- Load: {figures['accounts']} accounts x {figures['days']} days backfilled through Dagster in {figures['wall_s']:.0f} s: "
        f"{figures['requests']} requests, {figures['over_limit']} over the rate limit, {figures['injected_429']} injected 429s retried; "
        f"{walks[0]} walks for {walks[1]} accounts (all complete: {walks[2]}); {figures['rows']} rows, {figures['distinct_rows']} distinct (account, date, payment), "
        f"{figures['distinct_days']} distinct (account, date).",
    ]
    write_section(RESULTS, "Chaos (`make chaos`)", lines)
    print("\n".join(lines))
    ok = (
        k["survived"] == k["tries"]
        and figures["over_limit"] == 0
        and figures["rows"] == figures["distinct_rows"]
        and figures["distinct_days"] == figures["accounts"] * figures["days"]
        and walks[1] == figures["accounts"]
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
