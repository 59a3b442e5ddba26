"""The `onchain_tx` asset: every payout not yet confirmed, asked of its coin's Esplora."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

from typing import Any

import anyio
import dagster as dg

from poolbooks.ingest.onchain_checks import check_payouts
from poolbooks.lake.datasets import ONCHAIN_TX
from poolbooks_dagster.pool.resources import LakeResource
from poolbooks_dagster.warehouse.resources import WarehouseResource


@dg.asset(
    name=ONCHAIN_TX.name,
    group_name="esplora",
    deps=["earn_history"],
    kinds={"parquet"},
    pool="esplora",
    description=ONCHAIN_TX.description,
)
def onchain_tx(warehouse: WarehouseResource, lake: LakeResource) -> dg.MaterializeResult[Any]:
    config = warehouse.settings()
    report = anyio.run(check_payouts, config, lake.storage())
    if report.errors:
        raise dg.Failure(description="; ".join(report.errors[:5]))
    return dg.MaterializeResult(
        metadata={
            "checked": report.checked,
            "found": report.found,
            "confirmed": report.confirmed,
            "requests": report.requests,
            "not_asked": dg.MetadataValue.json(report.not_asked),
        }
    )
