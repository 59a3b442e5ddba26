"""Warehouse assets: every SQL model (one build, one atomic swap), its data tests as checks."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

from collections.abc import Iterator
from typing import Any

import dagster as dg

from poolbooks.lake.errors import LakeLocationError
from poolbooks.warehouse.build import BuildReport, build_warehouse
from poolbooks.warehouse.errors import WarehouseWouldShrink
from poolbooks.warehouse.project import SqlProject, load_project
from poolbooks.warehouse.reconciliation import reconciliation_summary
from poolbooks_dagster.warehouse.resources import WarehouseResource

GROUP = "warehouse"
WRITER_POOL = "warehouse"


class WarehouseBuildConfig(dg.Config):
    """Run config of the build: `allow_shrink` publishes even a build that lacks accounts or
    days the published warehouse has (by default the step fails and keeps it)."""

    allow_shrink: bool = False


def model_specs(project: SqlProject) -> list[dg.AssetSpec]:
    """One asset per model; its deps are the models and lake datasets its SQL reads."""
    return [
        dg.AssetSpec(
            name,
            group_name=GROUP,
            deps=[*sorted(project.depends_on[name]), *sorted(model.sources)],
            description=(model.sql.splitlines() or [""])[0].removeprefix("-- "),
            kinds={"duckdb", model.materialization},
        )
        for name, model in ((n, project.models[n]) for n in project.order)
    ]


def check_specs(project: SqlProject) -> list[dg.AssetCheckSpec]:
    """Each `sql/tests/assert_*.sql` as a blocking check on the last model it reads."""
    return [
        dg.AssetCheckSpec(
            name,
            asset=project.test_targets(name)[-1],
            blocking=True,
            description=(test.sql.splitlines() or [""])[0].removeprefix("-- "),
        )
        for name, test in project.tests.items()
    ]


def warehouse_assets(project: SqlProject | None = None) -> list[dg.AssetsDefinition]:
    project = project or load_project()

    @dg.multi_asset(
        name="warehouse_build",
        specs=model_specs(project),
        check_specs=check_specs(project),
        pool=WRITER_POOL,
    )
    def warehouse_build(
        context: dg.AssetExecutionContext,
        config: WarehouseBuildConfig,
        warehouse: WarehouseResource,
    ) -> Iterator[dg.MaterializeResult[Any] | dg.AssetCheckResult]:
        """Build every model into a new DuckDB file, run the data tests, swap it in."""
        settings = warehouse.settings()
        try:
            report = build_warehouse(
                settings, project, on_wait=context.log.info, allow_shrink=config.allow_shrink
            )
        except (LakeLocationError, WarehouseWouldShrink) as exc:
            # not a lake, or a build that would lose data: nothing was published, and a retry
            # would find the same
            raise dg.Failure(description=str(exc), allow_retries=False) from None
        findings: dict[str, Any] = {}
        if report.published:
            summary = reconciliation_summary(settings.warehouse)
            findings = {
                "findings": sum(row.issue_count for row in summary),
                "accounts_mismatched": ", ".join(r.account for r in summary if r.status != "ok")
                or "none",
            }
            for row in summary:
                for kind, count in row.kinds.items():
                    findings[f"findings_{kind}"] = findings.get(f"findings_{kind}", 0) + count
        if not report.published:
            # the old warehouse stays: record the data tests, then fail without claiming that
            # any model was materialized
            yield from _check_results(report)
            failed = [t.name for t in report.tests if not t.passed]
            raise dg.Failure(
                description=f"data tests failed ({', '.join(failed)}); the warehouse at "
                f"{settings.warehouse} was left as it was, the new build is beside it as .failed",
                metadata={"failed_tests": ", ".join(failed)},
                allow_retries=False,
            )
        for name in project.order:
            metadata: dict[str, Any] = {
                "build_seconds": round(report.seconds, 2),
                "warehouse": str(settings.warehouse),
            }
            if name in report.rows:
                metadata["dagster/row_count"] = report.rows[name]
            if name in ("reconciliation_issues", "payout_reconciliation"):
                metadata.update(findings)
            yield dg.MaterializeResult(asset_key=name, metadata=metadata)
        yield from _check_results(report)

    return [warehouse_build]


def _check_results(report: BuildReport) -> Iterator[dg.AssetCheckResult]:
    for test in report.tests:
        yield dg.AssetCheckResult(
            check_name=test.name,
            asset_key=test.targets[-1],
            passed=test.passed,
            metadata={"failing_rows": test.failures},
        )
