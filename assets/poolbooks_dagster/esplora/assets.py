"""The `onchain_tx` asset: every payout not yet confirmed, asked of its coin's Esplora."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

from typing import Any

import anyio
import dagster as dg

from poolbooks.ingest.onchain_checks import OnchainReport, check_payouts
from poolbooks.lake.datasets import ONCHAIN_TX
from poolbooks.lake.storage import LakeStorage
from poolbooks_dagster.lake_datasets import KINDS, row_count, spec_metadata
from poolbooks_dagster.pool.resources import LakeResource
from poolbooks_dagster.warehouse.resources import WarehouseResource


def onchain_metadata(report: OnchainReport, storage: LakeStorage) -> dict[str, Any]:
    """What a check of the payouts found, and the rows the dataset now holds."""
    return {
        "checked": report.checked,
        "found": report.found,
        "confirmed": report.confirmed,
        "requests": report.requests,
        "not_asked": dg.MetadataValue.json(report.not_asked),
        **row_count(storage, ONCHAIN_TX.name),
    }


@dg.asset(
    name=ONCHAIN_TX.name,
    group_name="esplora",
    deps=["earn_history"],
    kinds=KINDS,
    pool="esplora",
    description=ONCHAIN_TX.description,
    metadata=spec_metadata(ONCHAIN_TX.name),
)
def onchain_tx(warehouse: WarehouseResource, lake: LakeResource) -> dg.MaterializeResult[Any]:
    config = warehouse.settings()
    storage = lake.storage()
    report = anyio.run(check_payouts, config, storage)
    if report.errors:
        raise dg.Failure(description="; ".join(report.errors[:5]))
    return dg.MaterializeResult(metadata=onchain_metadata(report, storage))
