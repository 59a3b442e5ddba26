"""The warehouse is built once after earn-history ingestion settles, not once per account run.

A backfill or a chunked schedule tick lands as many runs; the sensor waits until none of them is
queued or running, then asks for one `warehouse_job` run keyed by the newest earn-history
materialization, so a tick that sees nothing new (or the same newest event again) builds
nothing.
"""

from __future__ import annotations

import dagster as dg

INGEST_JOB = "earn_history_job"
UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def warehouse_sensors(minimum_interval_seconds: int = 30) -> list[dg.SensorDefinition]:
    @dg.sensor(
        name="warehouse_after_ingest",
        job_name="warehouse_job",
        minimum_interval_seconds=minimum_interval_seconds,
        description="Build the warehouse once earn-history runs have finished with new data.",
    )
    def warehouse_after_ingest(
        context: dg.SensorEvaluationContext,
    ) -> dg.RunRequest | dg.SkipReason:
        instance = context.instance
        newest = instance.fetch_materializations(dg.AssetKey("earn_history"), limit=1).records
        if not newest or newest[0].storage_id <= int(context.cursor or 0):
            return dg.SkipReason("no earn-history materialized since the last build")
        unfinished = instance.get_runs_count(
            dg.RunsFilter(statuses=UNFINISHED, job_name=INGEST_JOB)
        )
        if unfinished:
            return dg.SkipReason(f"{unfinished} earn-history runs still queued or running")
        storage_id = newest[0].storage_id
        context.update_cursor(str(storage_id))
        return dg.RunRequest(run_key=f"earn_history-{storage_id}")

    return [warehouse_after_ingest]
