"""Export assets downstream of the marts: tax CSVs per configured year and format, the report."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

from poolbooks.exports.year_files import LEDGER, YearFile, export_year
from poolbooks.report.render import write_report
from poolbooks_dagster.warehouse.resources import WarehouseResource

GROUP = "exports"
FILES_SCHEMA = dg.TableSchema(
    columns=[
        dg.TableColumn("file", "string", description="its name in the exports folder"),
        dg.TableColumn("kind", "string", description="the tax format, or ledger"),
        dg.TableColumn("rows", "int", description="payouts or income rows written"),
    ]
)


def exports_metadata(
    folder: Path, years: Sequence[int], files: Sequence[YearFile]
) -> dict[str, Any]:
    """Where the files went, and each file written with its rows."""
    return {
        "folder": dg.MetadataValue.path(str(folder)),
        "years": ", ".join(map(str, years)),
        "files": dg.MetadataValue.table(
            [dg.TableRecord({"file": f.path.name, "kind": f.kind, "rows": f.rows}) for f in files],
            schema=FILES_SCHEMA,
        ),
        "dagster/row_count": sum(f.rows for f in files if f.kind == LEDGER),
    }


def report_metadata(path: Path, size: int) -> dict[str, Any]:
    return {"path": dg.MetadataValue.path(str(path)), "bytes": size}


@dg.asset(
    group_name=GROUP,
    deps=["payouts", "daily_earnings"],
    kinds={"python", "csv"},
    description="Tax rows for each configured year and format, and a Beancount ledger per year.",
)
def tax_exports(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult[Any]:
    config = warehouse.settings()
    settings = config.export_settings
    years = settings.years or (datetime.now(UTC).year - 1,)
    written: list[YearFile] = []
    for year in years:
        files = export_year(config.warehouse, settings, config.accounts, year)
        written += files
        ledger = next(file for file in files if file.kind == LEDGER)
        context.log.info(f"{year}: {ledger.rows} payouts in {ledger.path.name}")
    return dg.MaterializeResult(metadata=exports_metadata(settings.folder, years, written))


@dg.asset(
    group_name=GROUP,
    deps=[
        "daily_earnings",
        "earnings_vs_difficulty",
        "payouts",
        "payout_reconciliation",
        "reconciliation_issues",
    ],
    kinds={"python", "html"},
    description="The self-contained HTML report: charts, reconciliation and findings.",
)
def report_html(warehouse: WarehouseResource) -> dg.MaterializeResult[Any]:
    config = warehouse.settings()
    path = config.export_settings.folder.parent / "report.html"
    size = write_report(config.warehouse, path)
    return dg.MaterializeResult(metadata=report_metadata(path, size))
