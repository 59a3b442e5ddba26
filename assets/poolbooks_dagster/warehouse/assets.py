"""The warehouse build: every SQL model in one run and one atomic swap, an asset per model the
warehouse keeps, its data tests as checks."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

from collections.abc import Iterator
from typing import Any

import dagster as dg

from poolbooks.lake.errors import LakeLocationError
from poolbooks.warehouse.build import build_warehouse
from poolbooks.warehouse.errors import WarehouseWouldShrink
from poolbooks.warehouse.project import SqlProject, load_project
from poolbooks_dagster.warehouse.metadata import check_results, model_metadata
from poolbooks_dagster.warehouse.resources import WarehouseResource
from poolbooks_dagster.warehouse.specs import check_specs, model_specs

WRITER_POOL = "warehouse"


class WarehouseBuildConfig(dg.Config):
    """Run config of the build: `allow_shrink` publishes even a build that lacks accounts or
    days the published warehouse has (by default the step fails and keeps it); `full`
    rebuilds every model from the whole lake (by default the build updates the published
    warehouse with what the lake gained, when it can)."""

    allow_shrink: bool = False
    full: bool = False


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
                settings,
                project,
                on_wait=context.log.info,
                allow_shrink=config.allow_shrink,
                full=config.full,
            )
        except (LakeLocationError, WarehouseWouldShrink) as exc:
            # not a lake, or a build that would lose data: nothing was published, and a retry
            # would find the same
            raise dg.Failure(description=str(exc), allow_retries=False) from None
        if not report.published:
            # the old warehouse stays: record the data tests, then fail without claiming that
            # any model was materialized
            yield from check_results(project, report)
            failed = [t.name for t in report.failed_tests]
            raise dg.Failure(
                description=f"data tests failed ({', '.join(failed)}); the warehouse at "
                f"{settings.warehouse} was left as it was, the new build is beside it as .failed",
                metadata={"failed_tests": ", ".join(failed)},
                allow_retries=False,
            )
        for name, metadata in model_metadata(project, report, settings.warehouse).items():
            yield dg.MaterializeResult(asset_key=name, metadata=metadata)
        yield from check_results(project, report)

    return [warehouse_build]
