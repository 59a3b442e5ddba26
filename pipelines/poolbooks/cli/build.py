"""`poolbooks build`: the SQL models into the warehouse, then the data tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from poolbooks.cli.app import EXIT_FINDINGS, app, err_console, one_line_errors, out_console
from poolbooks.cli.options import CONFIG_OPTION, config_from

if TYPE_CHECKING:
    from poolbooks.warehouse.build import BuildReport
    from poolbooks.warehouse.lake_files import LakeFileChanges


def lake_files_line(files: LakeFileChanges) -> str:
    """`lake: read 12 files, 3 new since the published build, 0 gone`."""
    line = f"lake: read {files.files} files"
    if files.previous is None:
        return line + " (the published warehouse did not record its own)"
    return line + f", {files.new_files} new since the published build, {files.gone_files} gone"


def build_kind_line(report: BuildReport) -> str:
    """`updated: 1000 accounts from 2026-11-30 (daily_earnings 2000 rows, ...)`, or
    `full build: <why>`."""
    if report.full_reason is not None:
        return f"full build: {report.full_reason}"
    recomputed = report.recomputed
    if recomputed is None or recomputed.accounts == 0 or recomputed.first_day is None:
        return "updated: nothing in the lake changed the marts"
    rows = ", ".join(f"{name} {count}" for name, count in report.recomputed_rows.items())
    return (
        f"updated: {recomputed.accounts} accounts from {recomputed.first_day.isoformat()} "
        f"(rows recomputed: {rows})"
    )


def print_build(report: BuildReport, console: Console) -> None:
    tables = ", ".join(f"{name} {rows}" for name, rows in report.rows.items())
    passed = len(report.tests) - len(report.failed_tests)
    console.print(
        f"built {len(report.rows)} tables in {report.seconds:.1f}s: {tables}", soft_wrap=True
    )
    console.print(build_kind_line(report), soft_wrap=True)
    console.print(f"data tests: {passed}/{len(report.tests)} passed")
    if report.lake_files is not None:
        console.print(lake_files_line(report.lake_files))
    for test in report.failed_tests:
        err_console.print(f"[red]data test failed:[/red] {test.name}: {test.failures} rows")
    if report.published:
        console.print(f"warehouse {report.warehouse}")
    else:
        err_console.print(
            f"the warehouse at {report.warehouse} was left as it was; "
            f"this build is at {report.failed_build} to inspect"
        )


@app.command()
@one_line_errors
def build(
    config: Path | None = CONFIG_OPTION,
    allow_shrink: bool = typer.Option(
        False,
        "--allow-shrink",
        help="Publish even a build that lacks accounts or days the published warehouse has "
        "(by default it stops and keeps the published one).",
    ),
    full: bool = typer.Option(
        False,
        "--full",
        help="Rebuild every model from the whole lake, even when the published warehouse could "
        "be updated with what the lake gained since it was built.",
    ),
) -> None:
    """Run the SQL models into the warehouse, then the data tests (exit 1 if one fails, or if
    the build lacks accounts or days the published warehouse has). When the lake only gained
    files since the published build, only what they change is recomputed (--full: all)."""
    from poolbooks.warehouse.build import build_warehouse

    settings = config_from(config, require_keys=False)
    report = build_warehouse(
        settings, on_wait=err_console.print, allow_shrink=allow_shrink, full=full
    )
    print_build(report, out_console())
    if report.failed_tests:
        raise typer.Exit(EXIT_FINDINGS)
