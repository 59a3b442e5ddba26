"""The prices job, run daily just after midnight UTC: yesterday's candle is final then."""

from __future__ import annotations

import dagster as dg

PRICES_CRON = "15 0 * * *"  # 00:15 UTC


def prices_jobs() -> list[dg.UnresolvedAssetJobDefinition]:
    return [
        dg.define_asset_job(
            "prices_job",
            selection=dg.AssetSelection.groups("prices"),
            description="Fetch the mined coins' daily prices the lake lacks.",
        )
    ]


def prices_schedules() -> list[dg.ScheduleDefinition]:
    return [
        dg.ScheduleDefinition(
            name="prices_schedule",
            cron_schedule=PRICES_CRON,
            job_name="prices_job",
            execution_timezone="UTC",
        )
    ]
