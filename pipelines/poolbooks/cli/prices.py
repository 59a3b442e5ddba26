"""`poolbooks prices`: the mined coins' daily prices, from the price source into the lake."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from poolbooks.cli.app import EXIT_POOL, app, err_console, one_line_errors, out_console
from poolbooks.cli.options import CONFIG_OPTION, config_from
from poolbooks.config import Config

if TYPE_CHECKING:
    from poolbooks.ingest.prices_report import PricesReport

SINCE_OPTION = typer.Option(
    None,
    "--since",
    metavar="YYYY-MM-DD",
    formats=["%Y-%m-%d"],
    help="First day needed (default: `[prices] since`, else each coin's first earning day).",
)


def run_prices(config: Config, since: datetime | None = None) -> PricesReport:
    """One prices run into the config's lake (made a lake when new; it opens while the first
    requests go out)."""
    import anyio  # the toolkit is imported when a command runs: `--help` stays instant

    from poolbooks.ingest.prices_run import fetch_prices

    day = since.date() if since else None
    return anyio.run(lambda: fetch_prices(config, None, since=day))


def show_prices(report: PricesReport, console: Console) -> bool:
    """Each coin's days stored, requests and gaps; the source's failures. False if it failed."""
    from poolbooks.ingest.prices_report import day_ranges

    for series in report.series.values():
        overrides = f", {series.overrides} override rows" if series.overrides else ""
        console.print(
            f"prices {series.name} from {series.since}: {series.stored} days stored "
            f"({series.final} final) in {series.requests} requests{overrides}",
            markup=False,
            soft_wrap=True,
        )
    for series in report.series.values():
        if series.gaps:
            err_console.print(
                f"[yellow]warning:[/yellow] {series.name}: no candle for "
                f"{escape(day_ranges(series.gaps))} from {report.source} (see docs/prices.md)",
                soft_wrap=True,
            )
    console.print(
        f"prices run {report.run_id}: {report.requests} requests ({report.retries} retries, "
        f"{report.rate_limited} rate-limited); lake: prices {report.rows} rows",
        markup=False,
        soft_wrap=True,
    )
    for error in report.errors:
        err_console.print(f"[red]failed:[/red] {escape(error)}", soft_wrap=True)
    return not report.errors


@app.command("prices")
@one_line_errors
def prices_command(
    config: Path | None = CONFIG_OPTION,
    since: datetime | None = SINCE_OPTION,
) -> None:
    """Fetch the daily prices of the mined coins (incremental) into the lake. Exit 3 when the
    source failed after retries; days it has no candle for are warned about, not fatal."""
    settings = config_from(config, require_keys=False)
    if not show_prices(run_prices(settings, since), out_console()):
        raise typer.Exit(EXIT_POOL)
