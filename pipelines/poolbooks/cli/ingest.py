"""`poolbooks ingest` and `poolbooks snapshot`: pool API -> lake, for all or named accounts."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from poolbooks.cli.app import (
    EXIT_INTERRUPTED,
    EXIT_POOL,
    app,
    err_console,
    fail,
    one_line_errors,
    out_console,
)
from poolbooks.cli.interrupt import CtrlC
from poolbooks.cli.options import ACCOUNT_OPTION, CONFIG_OPTION, config_from
from poolbooks.cli.prices import run_prices, show_prices
from poolbooks.cli.progress import BarProgress, outcome_line, progress_for
from poolbooks.config import Config
from poolbooks.lake.version import FAILED_PAGES_DATASET, PAGES_DATASET

PAGE_ARCHIVES = (PAGES_DATASET, FAILED_PAGES_DATASET)

if TYPE_CHECKING:
    from poolbooks.ingest.reports import IngestReport


def run_ingest(config: Config, names: list[str] | None, history: bool, full: bool) -> IngestReport:
    """The run's report; on Ctrl-C, says what the lake holds and exits 130."""
    accounts = config.select(names or [])
    progress = progress_for(err_console)
    stop: CtrlC[IngestReport] = CtrlC(progress.interrupted)
    try:
        import anyio  # the toolkit is imported when a command runs: `--help` stays instant

        from poolbooks.ingest.run import ingest

        with progress if isinstance(progress, BarProgress) else nullcontext():
            anyio.run(
                stop.run,
                lambda: ingest(
                    config,
                    accounts,
                    None,  # the lake opens while the first requests go out
                    history=history,
                    snapshots=True,
                    full=full,
                    progress=progress,
                ),
            )
    except KeyboardInterrupt:  # before the run listened for Ctrl-C, or after it ended
        stop.interrupted = True
    if stop.interrupted:
        raise interrupted(stop.result, config)
    assert stop.result is not None  # the run returned, or raised
    return stop.result


def interrupted(report: IngestReport | None, config: Config) -> typer.Exit:
    """What an interrupted run leaves: nothing, or the run committed before Ctrl-C came."""
    if report is None:
        line = f"interrupted: nothing committed; the lake {config.lake} holds no part of this run"
    else:
        print_report(report, out_console(), config.lake)
        line = "interrupted: this run was committed before it stopped (above); nothing else"
    err_console.print(line, markup=False, soft_wrap=True)
    return typer.Exit(EXIT_INTERRUPTED)


def print_report(report: IngestReport, console: Console, lake: str) -> None:
    seconds = ((report.finished_at or report.started_at) - report.started_at).total_seconds()
    ok = len(report.outcomes) - len(report.failed)
    console.print(
        f"run {report.run_id}: {ok}/{len(report.outcomes)} accounts ok, "
        f"{report.pages} history pages, {report.requests} requests "
        f"({report.retries} retries, {report.rate_limited} rate-limited) in {seconds:.1f}s",
        soft_wrap=True,
    )
    datasets = [f for f in report.files if not f.dataset.startswith(PAGE_ARCHIVES)]
    pages = sum(f.rows for f in report.files if f.dataset.startswith(PAGES_DATASET))
    failed = sum(f.rows for f in report.files if f.dataset.startswith(FAILED_PAGES_DATASET))
    parts = [f"{f.rows} {f.dataset} rows" for f in datasets] + [f"{pages} raw pages"]
    if failed:
        parts.append(f"{failed} pages set apart (they did not parse; see `poolbooks reparse`)")
    added = ", ".join(parts) if report.files else "nothing"
    console.print(f"this run added to the lake {lake}: {added}", markup=False, soft_wrap=True)


def show(report: IngestReport, config: Config) -> None:
    print_report(report, out_console(), config.lake)
    if not err_console.is_terminal:  # a pipe or a scheduler: no bars, so one line per account
        for outcome in report.outcomes.values():
            err_console.print(outcome_line(outcome), markup=False, soft_wrap=True)
    for outcome in report.failed:
        err_console.print(f"[red]failed:[/red] {outcome.error}", soft_wrap=True)


def finish(report: IngestReport, config: Config) -> None:
    show(report, config)
    if report.failed:
        raise typer.Exit(EXIT_POOL)


def configured_prices(config: Config) -> bool:
    """With a `[prices]` table, the prices after the pool's accounts (the pool's data is kept
    whatever the price source does); True when they came, or none were asked for."""
    if config.prices is None:  # no third party is asked unless the config says so
        return True
    return show_prices(run_prices(config), out_console())


@app.command("ingest")
@one_line_errors
def ingest_command(
    config: Path | None = CONFIG_OPTION,
    account: list[str] | None = ACCOUNT_OPTION,
    full: bool = typer.Option(False, "--full", help="Re-page all of earn-history."),
) -> None:
    """Fetch earn-history (incremental) and one snapshot of every point-in-time endpoint; with a
    `[prices]` table in the config, the coins' daily prices too."""
    settings = config_from(config)
    if settings.prices is not None:  # a bad override file is a config error: nothing written
        from poolbooks.prices.overrides import read_override_files

        read_override_files(settings.prices.overrides)
    report = run_ingest(settings, account, history=True, full=full)
    show(report, settings)
    if not configured_prices(settings) or report.failed:
        raise typer.Exit(EXIT_POOL)


@app.command("snapshot")
@one_line_errors
def snapshot_command(
    config: Path | None = CONFIG_OPTION,
    account: list[str] | None = ACCOUNT_OPTION,
) -> None:
    """Fetch one snapshot of the point-in-time endpoints (no earn-history)."""
    settings = config_from(config)
    finish(run_ingest(settings, account, history=False, full=False), settings)


__all__ = ["fail", "ingest_command", "snapshot_command"]
