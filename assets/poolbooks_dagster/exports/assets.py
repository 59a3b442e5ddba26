"""Export assets downstream of the marts: tax CSVs per configured year and format, the report."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

from datetime import UTC, datetime
from typing import Any

import dagster as dg

from poolbooks.exports.year_files import LEDGER, export_year
from poolbooks.report.render import write_report
from poolbooks_dagster.warehouse.resources import WarehouseResource

GROUP = "exports"


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
        files = export_year(config.warehouse, settings, config.accounts, year)
        written.update({file.path.name: file.rows for file in files})
        ledger = next(file for file in files if file.kind == LEDGER)
        context.log.info(f"{year}: {ledger.rows} payouts in {ledger.path.name}")
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
