"""`poolbooks demo`: the whole thing, offline, against the built-in simulator."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from poolbooks.cli.app import app, err_console, one_line_errors, out_console
from poolbooks.cli.progress import BarProgress, progress_for

if TYPE_CHECKING:
    from poolbooks.demo import DemoResult

DIR_OPTION = typer.Option(Path("demo"), "--dir", help="Where the demo writes everything.")


def print_summary(result: DemoResult, console: Console) -> None:
    from poolbooks.demo import LIVED_DAYS, SNAPSHOT_EVERY

    rows = result.tables.get("daily_earnings", 0)
    low, high = result.efficiency_range
    console.print()
    console.print(f"[bold]poolbooks demo[/bold] done in {result.seconds:.1f}s")
    hours = SNAPSHOT_EVERY.seconds // 3600
    shapes = [f"{name} pages its history oldest first" for name in result.oldest_first]
    shapes += [f"{name}: no history yet, only its snapshots" for name in result.no_history]
    lines = [
        f"history {result.first_day} to now ({result.ended:%Y-%m-%d %H:%M} UTC); its last "
        f"{LIVED_DAYS} days lived in simulated time,",
        f"a snapshot every {hours} hours, the earn-history daily: {len(result.ingests)} ingests, "
        f"{result.requests} requests, {result.retries} retries",
        "accounts: " + ", ".join(result.accounts),
        "; ".join(shapes),
        f"warehouse: {rows} daily_earnings rows, {result.payouts} payouts, "
        f"{result.onchain_checked} checked on chain, {findings_text(result)}",
        f"{result.split_days} days paid in several payments; efficiency vs expected PPS: "
        f"{result.efficiency_days} account-days, {low:.3f} to {high:.3f}",
        prices_line(result),
    ]
    for line in lines:
        if line:
            console.print("  " + line, markup=False, soft_wrap=True)
    for error in result.onchain_errors:
        console.print(f"  [red]on-chain check failed:[/red] {error}")
    console.print(f"  config      {shown(result.config)}")
    console.print(f"  warehouse   {shown(result.warehouse)}")
    for name, path in result.files.items():
        label = name if name in ("report", "ledger") else f"{name} {result.export_year}"
        console.print(f"  {label:<11} {shown(path)}")
    console.print("\nnext:", markup=False)
    for line in next_steps(result):
        console.print(line, markup=False, soft_wrap=True)


# why a finding may show up on a healthy simulated pool
EXPLAINED_KINDS = {
    "onchain_unconfirmed": "a payout sent in the last minutes, not in a block yet",
}


def findings_text(result: DemoResult) -> str:
    """`0 findings`, or how many of each kind (the rows of reconciliation_issues)."""
    if not result.findings:
        return "0 findings"
    noun = "finding" if result.findings == 1 else "findings"
    kinds = [
        f"{kind} {n}" + (f" ({EXPLAINED_KINDS[kind]})" if kind in EXPLAINED_KINDS else "")
        for kind, n in result.finding_kinds.items()
    ]
    return f"{result.findings} {noun}: " + ", ".join(kinds)


def prices_line(result: DemoResult) -> str:
    """What the demo's prices run stored, per coin."""
    if result.prices is None:
        return ""
    series = result.prices.series.values()
    stored = ", ".join(f"{s.name} {s.stored} days" for s in series)
    failed = "; failed: " + "; ".join(result.prices.errors) if result.prices.errors else ""
    return (
        f"prices from the simulated Coinbase: {stored} in {result.prices.requests} requests{failed}"
    )


def next_steps(result: DemoResult) -> list[str]:
    """What to try next, runnable from here: `make dev` and `make notebooks` only for ./demo
    (they always use it); the commands that talk to the pool after its keys are loaded."""
    config = shown(result.config)
    lines = []
    if result.folder.resolve() == (Path.cwd() / "demo").resolve():
        lines += [
            "make dev            # the Dagster UI at http://127.0.0.1:3000, on this simulator",
            "make notebooks      # Jupyter on notebooks/, reading this warehouse",
        ]
    lines += [
        f".venv/bin/duckdb -readonly {shown(result.warehouse)}   # SQL on the warehouse",
        f".venv/bin/poolbooks reconcile --config {config}",
        f".venv/bin/poolbooks simulate --config {config} &   # its pool again, for ingest",
        f"set -a; . {shown(result.folder / '.env')}; set +a   # its keys, which ingest needs",
        f".venv/bin/poolbooks ingest --config {config}",
    ]
    lines = ["  " + line for line in lines]
    if not lines[0].startswith("  make"):
        lines.append(f"(make dev and make notebooks use ./demo, not {shown(result.folder)})")
    return lines


def shown(path: Path) -> Path:
    """A path as short as it can be said from here: relative when under the working folder."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


@app.command()
@one_line_errors
def demo(folder: Path = DIR_OPTION) -> None:
    """Offline, on the simulator: two years of five sub-accounts ending now (one paging oldest
    first, one new with no history yet), ingested with faults, its last seven days lived in
    simulated time as a scheduler would (a snapshot every eight hours, the earn-history each
    day); then build, reconcile on chain, export the last full year in every format, write the
    report, and say where everything is. `make dev` goes on from there on the wall clock."""
    from poolbooks.demo import run_demo

    def say(line: str) -> None:
        err_console.print(line, soft_wrap=True)

    def recorder(home: Path) -> Callable[[DemoResult], None]:
        from poolbooks_dagster.demo_runs import demo_recorder  # Dagster loads in a worker

        record = demo_recorder(home)

        def announced(result: DemoResult) -> None:
            say(f"recording what it did in its Dagster instance, {shown(home)}")
            record(result)

        return announced

    progress = progress_for(err_console)
    with progress if isinstance(progress, BarProgress) else nullcontext():
        result = run_demo(folder, progress, say=say, recorder=recorder)
    print_summary(result, out_console())
