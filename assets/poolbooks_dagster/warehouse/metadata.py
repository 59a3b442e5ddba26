"""What a published build records on each kept model and data test: row counts, the build's
time, the lake files it read (and how many were new), the reconciliation's findings, each
test's failing rows. The build asset and the demo's
record of its build both use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from poolbooks.warehouse.build import BuildReport
from poolbooks.warehouse.connection import connect_read_only
from poolbooks.warehouse.project import SqlProject
from poolbooks.warehouse.reconciliation import reconciliation_summary
from poolbooks_dagster.warehouse.specs import checked_model, published_models

FINDINGS_ON = ("reconciliation_issues", "payout_reconciliation")


def row_counts(project: SqlProject, report: BuildReport, warehouse: Path) -> dict[str, int]:
    """Rows of every kept model: the build counted its tables, the views are counted here, in
    the published warehouse (a view that cannot be read there, say over a moved lake, has none)."""
    counts = {name: report.rows[name] for name in published_models(project) if name in report.rows}
    views = [name for name in published_models(project) if name not in counts]
    with connect_read_only(warehouse) as con:
        for name in views:
            try:
                row = con.execute(f"select count(*) from {name}").fetchone()  # noqa: S608
            except duckdb.Error:
                continue
            counts[name] = int(row[0]) if row else 0
    return counts


def findings(warehouse: Path) -> dict[str, Any]:
    """The reconciliation's totals, as the reconciliation models' metadata."""
    summary = reconciliation_summary(warehouse)
    totals: dict[str, Any] = {
        "findings": sum(row.issue_count for row in summary),
        "accounts_mismatched": ", ".join(r.account for r in summary if r.status != "ok") or "none",
    }
    for row in summary:
        for kind, count in row.kinds.items():
            totals[f"findings_{kind}"] = totals.get(f"findings_{kind}", 0) + count
    return totals


def lake_file_metadata(report: BuildReport) -> dict[str, Any]:
    """The lake files the build read, and how many the published build before it had not."""
    files = report.lake_files
    if files is None:
        return {}
    metadata: dict[str, Any] = {"lake_files_read": files.files}
    if files.previous is not None:
        metadata["lake_files_new"] = files.new_files
        metadata["lake_files_gone"] = files.gone_files
    return metadata


def build_kind_metadata(report: BuildReport, name: str) -> dict[str, Any]:
    """Whether the build updated the published warehouse or rebuilt it (and why), and for an
    update what it recomputed: how many accounts, from which day, and this model's rows."""
    if report.full_reason is not None:
        return {"build_mode": "full", "full_reason": report.full_reason}
    metadata: dict[str, Any] = {"build_mode": "incremental"}
    if report.recomputed is not None:
        metadata["recomputed_accounts"] = report.recomputed.accounts
        if report.recomputed.first_day is not None:
            metadata["recomputed_from"] = report.recomputed.first_day.isoformat()
    if name in report.recomputed_rows:
        metadata["recomputed_rows"] = report.recomputed_rows[name]
    return metadata


def model_metadata(
    project: SqlProject, report: BuildReport, warehouse: Path
) -> dict[str, dict[str, Any]]:
    """Each kept model's materialization metadata after a published build."""
    counts = row_counts(project, report, warehouse)
    found = findings(warehouse)
    metadata: dict[str, dict[str, Any]] = {}
    for name in published_models(project):
        entry: dict[str, Any] = {
            "build_seconds": round(report.seconds, 2),
            "warehouse": str(warehouse),
            **lake_file_metadata(report),
            **build_kind_metadata(report, name),
        }
        if name in counts:
            entry["dagster/row_count"] = counts[name]
        if name in FINDINGS_ON:
            entry.update(found)
        metadata[name] = entry
    return metadata


def check_results(project: SqlProject, report: BuildReport) -> list[dg.AssetCheckResult]:
    """Each data test's outcome, on the model it checks."""
    return [
        dg.AssetCheckResult(
            check_name=test.name,
            asset_key=checked_model(project, test.name),
            passed=test.passed,
            metadata={"failing_rows": test.failures},
        )
        for test in report.tests
    ]
