"""Export assets downstream of the marts: tax CSVs per configured year and format, the report."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

from assets.warehouse.resources import WarehouseResource
from pipelines.config import Config
from pipelines.exports.ledger import export_ledger
from pipelines.exports.tax import export_tax
from pipelines.report.render import write_report

GROUP = "exports"


def tax_files(config: Config) -> list[tuple[str, tuple[str, ...], Path | None]]:
    """(file name suffix, accounts, prices) per tax file of a year and format: one file for
    every account, or with prices per coin one file per coin, valued with that coin's."""
    settings = config.export_settings
    if not settings.prices_by_coin:
        return [("", (), settings.prices)]
    coins = sorted({account.coin for account in config.accounts})
    return [
        (
            f"-{coin.lower()}",
            tuple(a.name for a in config.accounts if a.coin == coin),
            settings.prices_by_coin.get(coin),
        )
        for coin in coins
    ]


@dg.asset(
    group_name=GROUP,
    deps=["payouts", "daily_earnings"],
    kinds={"csv"},
    description="Tax rows for each configured year and format, and a Beancount ledger per year.",
)
def tax_exports(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult[Any]:
    config = warehouse.settings()
    settings = config.export_settings
    years = settings.years or (datetime.now(UTC).year - 1,)
    written: dict[str, Any] = {}
    for year in years:
        for format_name in settings.formats:
            for suffix, accounts, prices in tax_files(config):
                name = f"tax-{year}-{format_name}-{settings.basis}{suffix}.csv"
                result = export_tax(
                    config.warehouse,
                    settings.folder / name,
                    format_name=format_name,
                    year=year,
                    basis=settings.basis,
                    zone=settings.timezone,
                    accounts=accounts,
                    prices_file=prices,
                    currency=settings.currency,
                )
                written[name] = result.rows
        ledger = export_ledger(
            config.warehouse,
            settings.folder / f"mining-{year}.beancount",
            year=year,
            zone=settings.timezone,
        )
        written[ledger.path.name] = ledger.rows
        context.log.info(f"{year}: {ledger.rows} payouts, {ledger.total_sat} sat")
    return dg.MaterializeResult(
        metadata={"folder": str(settings.folder), "years": ", ".join(map(str, years)), **written}
    )


@dg.asset(
    group_name=GROUP,
    deps=[
        "daily_earnings",
        "earnings_vs_difficulty",
        "payouts",
        "payout_reconciliation",
        "reconciliation_issues",
    ],
    kinds={"html"},
    description="The self-contained HTML report: charts, reconciliation and findings.",
)
def report_html(warehouse: WarehouseResource) -> dg.MaterializeResult[Any]:
    config = warehouse.settings()
    path = config.export_settings.folder.parent / "report.html"
    size = write_report(config.warehouse, path)
    return dg.MaterializeResult(metadata={"path": str(path), "bytes": size})
