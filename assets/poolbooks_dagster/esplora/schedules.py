"""The on-chain check's job, run daily after the day's earn-history has landed."""

from __future__ import annotations

import dagster as dg

ONCHAIN_CRON = "0 2 * * *"  # 02:00 UTC: the pool paid yesterday's earnings in the night


def onchain_jobs() -> list[dg.UnresolvedAssetJobDefinition]:
    return [
        dg.define_asset_job(
            "onchain_job",
            selection=dg.AssetSelection.groups("esplora"),
            description="Ask Esplora about every payout not yet confirmed on chain.",
        )
    ]


def onchain_schedules() -> list[dg.ScheduleDefinition]:
    return [
        dg.ScheduleDefinition(
            name="onchain_schedule",
            cron_schedule=ONCHAIN_CRON,
            job_name="onchain_job",
            execution_timezone="UTC",
        )
    ]
