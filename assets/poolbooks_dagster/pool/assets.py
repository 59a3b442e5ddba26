"""Ingestion assets: earn-history and the snapshot endpoints, one asset per lake dataset."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

from collections.abc import Iterator
from typing import Any

import anyio
import dagster as dg

from poolbooks.config import DagsterSettings
from poolbooks.ingest.reports import AccountOutcome, IngestReport
from poolbooks.ingest.run import ingest
from poolbooks.lake.datasets import REGISTRY, SNAPSHOT_DATASETS
from poolbooks.lake.storage import LakeStorage
from poolbooks_dagster.lake_datasets import KINDS, row_count, spec_metadata
from poolbooks_dagster.pool.resources import LakeResource, PoolApiResource

GROUP = "pool_api"
POOL = "pool_api"
HISTORY_DATASETS = ("earn_history", "earn_history_walks")  # what one earn-history walk writes


def retry_policy(settings: DagsterSettings) -> dg.RetryPolicy:
    return dg.RetryPolicy(
        max_retries=settings.retries,
        delay=settings.retry_delay_seconds,
        backoff=dg.Backoff.EXPONENTIAL,
        jitter=dg.Jitter.PLUS_MINUS,
    )


RETRY = retry_policy(DagsterSettings())


class DagsterProgress:
    """Account progress as Dagster log lines."""

    def __init__(self, context: dg.AssetExecutionContext) -> None:
        self.log = context.log

    def started(self, account: str) -> None:
        self.log.info(f"account {account}: started")

    def advanced(self, account: str, done: int, total: int) -> None:
        self.log.debug(f"account {account}: page {done} of {total}")

    def finished(self, outcome: "AccountOutcome") -> None:
        self.log.info(
            f"account {outcome.account}: {outcome.history_pages} pages, {outcome.history_rows} "
            f"rows, {outcome.snapshots} snapshots, {'failed' if outcome.error else 'ok'}"
        )

    def waiting(self, message: str) -> None:
        self.log.info(message)


def run_ingest(
    context: dg.AssetExecutionContext, pool_api: PoolApiResource, lake: LakeResource, history: bool
) -> IngestReport:
    config = pool_api.load()
    accounts = config.select(context.partition_keys)
    progress = DagsterProgress(context)
    return anyio.run(
        lambda: ingest(
            config,
            accounts,
            lake.storage_for_writing(),
            history=history,
            snapshots=not history,
            client=pool_api.client(config),
            progress=progress,
        )
    )


def report_metadata(report: IngestReport, dataset: str) -> dict[str, Any]:
    """The run's figures for one dataset. A run covers a range of account partitions and
    Dagster records the same metadata on each, so the totals say they are the run's and
    `by_account` holds each partition's own share."""
    history = dataset.startswith("earn_history")
    by_account = {
        outcome.account: (
            {"rows": outcome.history_rows, "pages": outcome.history_pages}
            if history
            else {"snapshots": outcome.snapshots}
        )
        for outcome in report.outcomes.values()
    }
    rows = report.rows(dataset)
    return {
        "run_id": report.run_id,
        "rows": rows,
        "pages_fetched": report.pages if history else rows,  # a snapshot is one answer
        "requests": report.requests,
        "retries": report.retries,
        "rate_limited": report.rate_limited,
        "accounts": len(report.outcomes),
        "accounts_failed": ", ".join(o.account for o in report.failed) or "none",
        "scope": f"the whole run: {len(report.outcomes)} account partition(s)",
        "by_account": dg.MetadataValue.json(by_account),
    }


def dataset_metadata(report: IngestReport, storage: LakeStorage, dataset: str) -> dict[str, Any]:
    """A dataset's materialization metadata after a run: the run's figures and the rows the
    dataset now holds."""
    return {**report_metadata(report, dataset), **row_count(storage, dataset)}


def raise_on_failures(report: IngestReport) -> None:
    """After the data landed: fail the step if any account failed; let the retry policy act
    only when some failure may pass (a refused key or a malformed page will not)."""
    if report.failed:
        raise dg.Failure(
            description="; ".join(o.error or o.account for o in report.failed),
            metadata={"accounts_failed": ", ".join(o.account for o in report.failed)},
            allow_retries=any(o.retryable for o in report.failed),
        )


def ingestion_assets(
    partitions: dg.PartitionsDefinition[str],
    retry_policy: dg.RetryPolicy = RETRY,
    partitions_per_run: int = 0,
) -> list[dg.AssetsDefinition]:
    """Both ingestion multi-assets. A backfill over many accounts is one run, or runs of
    `partitions_per_run` accounts each (one file per dataset and run either way)."""
    backfill_policy = (
        dg.BackfillPolicy.multi_run(partitions_per_run)
        if partitions_per_run
        else dg.BackfillPolicy.single_run()
    )

    def spec(name: str) -> dg.AssetSpec:
        return dg.AssetSpec(
            name,
            group_name=GROUP,
            description=REGISTRY[name].description,
            kinds=KINDS,
            partitions_def=partitions,
            metadata=spec_metadata(name),
        )

    @dg.multi_asset(
        name="earn_history_ingest",
        specs=[spec(name) for name in HISTORY_DATASETS],
        partitions_def=partitions,
        backfill_policy=backfill_policy,
        retry_policy=retry_policy,
        pool=POOL,
    )
    def earn_history_ingest(
        context: dg.AssetExecutionContext, pool_api: PoolApiResource, lake: LakeResource
    ) -> Iterator[dg.MaterializeResult[Any]]:
        """Page earn-history for the run's accounts (incremental) into the lake."""
        report = run_ingest(context, pool_api, lake, history=True)
        storage = lake.storage()
        for name in HISTORY_DATASETS:
            yield dg.MaterializeResult(
                asset_key=name, metadata=dataset_metadata(report, storage, name)
            )
        raise_on_failures(report)

    @dg.multi_asset(
        name="snapshot_ingest",
        specs=[spec(name) for name in SNAPSHOT_DATASETS],
        partitions_def=partitions,
        backfill_policy=backfill_policy,
        retry_policy=retry_policy,
        pool=POOL,
    )
    def snapshot_ingest(
        context: dg.AssetExecutionContext, pool_api: PoolApiResource, lake: LakeResource
    ) -> Iterator[dg.MaterializeResult[Any]]:
        """One snapshot of every point-in-time endpoint for the run's accounts."""
        report = run_ingest(context, pool_api, lake, history=False)
        storage = lake.storage()
        for name in SNAPSHOT_DATASETS:
            yield dg.MaterializeResult(
                asset_key=name, metadata=dataset_metadata(report, storage, name)
            )
        raise_on_failures(report)

    return [earn_history_ingest, snapshot_ingest]
