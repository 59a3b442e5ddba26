"""The warehouse job and its daily schedule, after the earn-history schedule has run."""

from __future__ import annotations

import dagster as dg

WAREHOUSE_CRON = "0 1 * * *"  # 01:00 UTC, half an hour after the daily earn-history run


def warehouse_jobs() -> list[dg.UnresolvedAssetJobDefinition]:
    return [
        dg.define_asset_job(
            "warehouse_job",
            selection=dg.AssetSelection.groups("warehouse", "exports"),
            description="Build every SQL model, run the data tests, reconcile, export, report.",
        )
    ]


def warehouse_schedules() -> list[dg.ScheduleDefinition]:
    return [
        dg.ScheduleDefinition(
            name="warehouse_schedule",
            cron_schedule=WAREHOUSE_CRON,
            job_name="warehouse_job",
            execution_timezone="UTC",
        )
    ]
