"""The demo's work in its Dagster instance: after `poolbooks demo`, `<demo>/dagster_home` holds the
latest materialization of every asset and account partition, and every check's result, with the
metadata a run of the same work records, so that `make dev` opens on a filled catalog.

The demo ran the work itself, not as Dagster runs: its events are reported as Dagster's
runless events ("reported" in the UI), one per asset and partition as a run would log them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from poolbooks.config import Config, load_config
from poolbooks.demo import DemoResult
from poolbooks.ingest.reports import IngestReport
from poolbooks.lake.datasets import PRICES, REGISTRY, SNAPSHOT_DATASETS
from poolbooks.lake.marker import open_lake
from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse.project import SqlProject, load_project
from poolbooks_dagster.esplora.assets import onchain_metadata
from poolbooks_dagster.exports.assets import exports_metadata, report_metadata
from poolbooks_dagster.instance_config import write_instance_config
from poolbooks_dagster.pool.assets import HISTORY_DATASETS, dataset_metadata
from poolbooks_dagster.pool.checks import CHECKED_DATASETS, freshness
from poolbooks_dagster.prices.assets import prices_metadata
from poolbooks_dagster.prices.checks import prices_freshness
from poolbooks_dagster.warehouse.metadata import check_results, model_metadata

Event = dg.AssetMaterialization | dg.AssetCheckEvaluation


def lake_datasets_of(report: IngestReport) -> tuple[str, ...]:
    """The assets a run of the same ingest materializes: both earn-history datasets when it
    walked the history, every snapshot dataset when it took snapshots."""
    written = {f.dataset for f in report.files}
    named: tuple[str, ...] = ()
    if written & set(HISTORY_DATASETS):
        named += HISTORY_DATASETS
    if written & set(SNAPSHOT_DATASETS):
        named += SNAPSHOT_DATASETS
    return named


def lake_events(result: DemoResult, config: Config, storage: LakeStorage) -> list[Event]:
    """Each lake dataset's latest ingest, on every account partition, as a run logs it."""
    latest: dict[str, IngestReport] = {}
    for report in result.ingests:
        for dataset in lake_datasets_of(report):
            latest[dataset] = report
    events: list[Event] = []
    for dataset in REGISTRY:
        if dataset not in latest:
            continue
        metadata = dataset_metadata(latest[dataset], storage, dataset)
        events += [
            dg.AssetMaterialization(dataset, partition=account.name, metadata=metadata)
            for account in config.accounts
        ]
    if result.onchain is not None:
        metadata = onchain_metadata(result.onchain, storage)
        events.append(dg.AssetMaterialization("onchain_tx", metadata=metadata))
    if result.prices is not None:
        metadata = prices_metadata(result.prices, storage)
        events.append(dg.AssetMaterialization(PRICES.name, metadata=metadata))
    return events


def check_event(result: dg.AssetCheckResult, blocking: bool) -> dg.AssetCheckEvaluation:
    assert result.asset_key is not None and result.check_name is not None
    return dg.AssetCheckEvaluation(
        asset_key=result.asset_key,
        check_name=result.check_name,
        passed=result.passed,
        metadata=result.metadata,
        blocking=blocking,
    )


def warehouse_events(result: DemoResult, config: Config, project: SqlProject) -> list[Event]:
    """The build's kept models and its data tests, as the build asset records them."""
    if result.build is None or not result.build.published:
        return []
    models = model_metadata(project, result.build, config.warehouse)
    events: list[Event] = [dg.AssetMaterialization(n, metadata=m) for n, m in models.items()]
    events += [check_event(check, blocking=True) for check in check_results(project, result.build)]
    return events


def export_events(result: DemoResult, config: Config) -> list[Event]:
    settings = config.export_settings
    return [
        dg.AssetMaterialization(
            "tax_exports",
            metadata=exports_metadata(settings.folder, [result.export_year], result.exported),
        ),
        dg.AssetMaterialization(
            "report_html", metadata=report_metadata(result.files["report"], result.report_bytes)
        ),
    ]


def freshness_events(config: Config, storage: LakeStorage, now: datetime) -> list[Event]:
    """The snapshot and prices freshness checks as they would pass or fail when the demo
    ends."""
    accounts = [account.name for account in config.accounts]
    coins = sorted({account.coin for account in config.accounts})
    currency = config.price_settings.currency
    return [
        *(
            check_event(freshness(accounts, lambda: storage, dataset, now), blocking=False)
            for dataset in CHECKED_DATASETS
        ),
        check_event(prices_freshness(coins, currency, lambda: storage, now), blocking=False),
    ]


def demo_events(result: DemoResult) -> list[Event]:
    """Every event the demo's work would have logged, in the order the work ran."""
    config = load_config(result.config, {}, require_keys=False)
    storage = open_lake(config.lake, config.source)
    return [
        *lake_events(result, config, storage),
        *freshness_events(config, storage, datetime.now(UTC)),
        *warehouse_events(result, config, load_project()),
        *export_events(result, config),
    ]


def demo_recorder(home: Path) -> Callable[[DemoResult], None]:
    """The demo's Dagster instance made in `home` (its config and SQLite storage; slow the first
    time, so the demo does it in a worker while it ingests); returns what records a finished
    demo there."""
    write_instance_config(home)
    instance = dg.DagsterInstance.from_config(str(home))

    def record(result: DemoResult) -> None:
        with instance:
            for event in demo_events(result):
                instance.report_runless_asset_event(event)

    return record


def record_demo(result: DemoResult) -> None:
    """Record a finished demo in its Dagster instance at once."""
    demo_recorder(result.dagster_home)(result)
