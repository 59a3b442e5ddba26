"""Jobs and schedules: snapshots every 10 minutes, earn-history daily, all accounts per run."""

from __future__ import annotations

import dagster as dg

from assets.pool.partitions import all_accounts_tags
from pipelines.lake.schemas import SNAPSHOT_DATASETS

SNAPSHOT_CRON = "*/10 * * * *"
EARN_HISTORY_CRON = "30 0 * * *"  # 00:30 UTC, after the pool settles yesterday


def pool_jobs() -> list[dg.UnresolvedAssetJobDefinition]:
    return [
        dg.define_asset_job(
            "snapshot_job",
            selection=dg.AssetSelection.assets(*SNAPSHOT_DATASETS),
            description="One snapshot of every point-in-time endpoint.",
        ),
        dg.define_asset_job(
            "earn_history_job",
            selection=dg.AssetSelection.assets("earn_history", "earn_history_walks"),
            description="Incremental earn-history for every account.",
        ),
    ]


def pool_schedules(partitions: dg.StaticPartitionsDefinition) -> list[dg.ScheduleDefinition]:
    tags = all_accounts_tags(partitions)

    @dg.schedule(cron_schedule=SNAPSHOT_CRON, job_name="snapshot_job", execution_timezone="UTC")
    def snapshot_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest(tags=tags)

    @dg.schedule(
        cron_schedule=EARN_HISTORY_CRON, job_name="earn_history_job", execution_timezone="UTC"
    )
    def earn_history_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest(tags=tags)

    return [snapshot_schedule, earn_history_schedule]
