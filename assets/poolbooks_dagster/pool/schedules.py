"""Jobs and schedules: snapshots every 10 minutes, earn-history daily.

Each tick covers every account: in one run, or, with `[dagster] partitions_per_run`, in runs of
that many accounts, so that an executor can spread them over workers.
"""

from __future__ import annotations

import dagster as dg

from poolbooks.config import DagsterSettings
from poolbooks.lake.datasets import SNAPSHOT_DATASETS
from poolbooks_dagster.pool.partitions import account_ranges, range_tags

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


def pool_schedules(
    partitions: dg.StaticPartitionsDefinition, settings: DagsterSettings | None = None
) -> list[dg.ScheduleDefinition]:
    settings = settings or DagsterSettings()
    ranges = account_ranges(partitions, settings.partitions_per_run)

    def requests(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
        # a schedule's run keys are unique per tick: one run per range and tick
        return [
            dg.RunRequest(run_key=f"{keys.start}..{keys.end}", tags=range_tags(keys))
            for keys in ranges
        ]

    @dg.schedule(
        cron_schedule=settings.snapshot_cron, job_name="snapshot_job", execution_timezone="UTC"
    )
    def snapshot_schedule(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
        return requests(context)

    @dg.schedule(
        cron_schedule=EARN_HISTORY_CRON, job_name="earn_history_job", execution_timezone="UTC"
    )
    def earn_history_schedule(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
        return requests(context)

    return [snapshot_schedule, earn_history_schedule]
