"""`poolbooks reparse`: the lake's pool datasets derived again from its archived pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from poolbooks.cli.app import EXIT_FINDINGS, app, err_console, one_line_errors, out_console
from poolbooks.cli.options import ACCOUNT_OPTION, CONFIG_OPTION, config_from

if TYPE_CHECKING:
    from poolbooks.ingest.reparse_report import ReparseReport


def print_reparse(report: ReparseReport, console: Console, lake: str) -> None:
    recovered = f" ({report.recovered} of them set apart when fetched)" if report.recovered else ""
    console.print(
        f"read {report.pages} archived pages again{recovered}, no request made; "
        f"{len(report.failing)} still failing",
        soft_wrap=True,
    )
    for dataset, change in report.changes.items():
        what = (
            f"{change.added} rows added, {change.changed} changed, {change.removed} removed"
            if change.any
            else "unchanged"
        )
        console.print(f"  {dataset}: {what}", soft_wrap=True)
    if report.files:
        console.print(
            f"lake {lake}: {len(report.files)} partitions rewritten, "
            f"{report.replaced} files replaced",
            soft_wrap=True,
        )
    else:
        console.print(f"lake {lake}: nothing to change", soft_wrap=True)
    if report.not_configured:
        names = ", ".join(sorted(report.not_configured))
        console.print(f"left as they are (not in the config): {names}", soft_wrap=True)


@app.command()
@one_line_errors
def reparse(
    config: Path | None = CONFIG_OPTION,
    account: list[str] | None = ACCOUNT_OPTION,
) -> None:
    """Re-derive the lake's datasets from its archived pages with today's parser, without a
    request; say what changed and which pages still fail (exit 1 if any)."""
    from poolbooks.ingest.reparse import reparse_lake
    from poolbooks.lake.marker import open_lake

    settings = config_from(config, require_keys=False)
    storage = open_lake(settings.lake, settings.source)
    accounts = settings.select(account or [])
    report = reparse_lake(settings, storage, accounts, on_wait=err_console.print)
    print_reparse(report, out_console(), settings.lake)
    for page in report.failing:
        where = f"page {page.page}" if page.page is not None else "its answer"
        err_console.print(
            f"[red]still failing:[/red] {page.endpoint} {where}, fetched {page.fetch_date}: "
            f"{page.error}",
            soft_wrap=True,
        )
    if report.failing:
        raise typer.Exit(EXIT_FINDINGS)
