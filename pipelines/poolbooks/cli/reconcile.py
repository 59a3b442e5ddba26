"""`poolbooks reconcile`: rebuild the findings, optionally checking payouts on chain; list them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from poolbooks.cli.app import (
    EXIT_FINDINGS,
    EXIT_POOL,
    app,
    err_console,
    one_line_errors,
    out_console,
)
from poolbooks.cli.build import print_build
from poolbooks.cli.options import CONFIG_OPTION, config_from

if TYPE_CHECKING:
    from rich.table import Table

    from poolbooks.warehouse.reconciliation import AccountReconciliation


def summary_table(rows: list[AccountReconciliation]) -> Table:
    from rich.table import Table  # imported by the command that shows one

    table = Table(title="payout reconciliation (satoshi)")
    for column in ("account", "coin", "status", "earned", "paid", "unpaid diff", "paid diff"):
        table.add_column(column, justify="right" if column not in ("account", "coin") else "left")
    table.add_column("findings")
    for row in rows:
        findings = ", ".join(f"{kind} {count}" for kind, count in row.kinds.items()) or "none"
        table.add_row(
            row.account,
            row.coin,
            "[green]ok[/green]" if row.status == "ok" else "[red]mismatch[/red]",
            f"{row.earned_sat:,}",
            f"{row.paid_sat:,}",
            "" if row.unpaid_diff_sat is None else f"{row.unpaid_diff_sat:,}",
            "" if row.total_paid_diff_sat is None else f"{row.total_paid_diff_sat:,}",
            findings,
        )
    return table


@app.command()
@one_line_errors
def reconcile(
    config: Path | None = CONFIG_OPTION,
    onchain: bool = typer.Option(
        False, "--onchain", help="Also check unconfirmed payouts with the configured Esplora."
    ),
) -> None:
    """Rebuild the reconciliation and list findings (exit 1 when there are any). Like `build`,
    it stops (exit 1) when the rebuild lacks accounts or days the published warehouse has."""
    import anyio

    from poolbooks.ingest.onchain_checks import check_payouts
    from poolbooks.lake.marker import open_lake
    from poolbooks.warehouse.build import build_warehouse
    from poolbooks.warehouse.reconciliation import reconciliation_summary

    settings = config_from(config, require_keys=False)
    console = out_console()
    failed_checks: list[str] = []
    if onchain:
        lake = open_lake(settings.lake, settings.source)
        checked = anyio.run(check_payouts, settings, lake)
        console.print(
            f"on-chain: {checked.checked} payouts checked, "
            f"{checked.found} found, {checked.confirmed} confirmed",
            soft_wrap=True,
        )
        for coin, count in sorted(checked.not_asked.items()):
            console.print(
                f"on-chain: {count} {coin} payouts not checked: no Esplora for {coin} "
                f"(set esplora_urls.{coin} in the config)",
                soft_wrap=True,
            )
        failed_checks = checked.errors
    report = build_warehouse(settings, on_wait=err_console.print)
    if report.failed_tests:
        print_build(report, console)
        raise typer.Exit(EXIT_FINDINGS)
    rows = reconciliation_summary(settings.warehouse)
    console.print(summary_table(rows))
    findings = sum(row.issue_count for row in rows)
    console.print(
        f"{findings} findings in {len(rows)} accounts (findings are the rows of the warehouse "
        "table reconciliation_issues)",
        soft_wrap=True,
    )
    for error in failed_checks:
        err_console.print(f"[red]failed:[/red] {error}", soft_wrap=True)
    if failed_checks:
        raise typer.Exit(EXIT_POOL)
    if findings:
        raise typer.Exit(EXIT_FINDINGS)
