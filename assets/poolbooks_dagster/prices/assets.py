"""The `prices` asset: the mined coins' daily candles from the price source into the lake."""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

from typing import Any

import anyio
import dagster as dg

from poolbooks.ingest.prices_report import PricesReport, day_ranges
from poolbooks.ingest.prices_run import fetch_prices
from poolbooks.lake.datasets import PRICES
from poolbooks.lake.storage import LakeStorage
from poolbooks_dagster.lake_datasets import KINDS, row_count, spec_metadata
from poolbooks_dagster.pool.resources import LakeResource
from poolbooks_dagster.prices.resources import PriceSourceResource
from poolbooks_dagster.warehouse.resources import WarehouseResource

GROUP = "prices"


def prices_metadata(report: PricesReport, storage: LakeStorage) -> dict[str, Any]:
    """What a run fetched per coin, its gaps, and the rows the dataset now holds."""
    series = {
        s.name: {
            "since": str(s.since),
            "stored": s.stored,
            "final": s.final,
            "requests": s.requests,
            "overrides": s.overrides,
            "gaps": day_ranges(s.gaps) or "none",
        }
        for s in report.series.values()
    }
    return {
        "run_id": report.run_id,
        "rows": report.rows,
        "requests": report.requests,
        "retries": report.retries,
        "rate_limited": report.rate_limited,
        "series": dg.MetadataValue.json(series),
        **row_count(storage, PRICES.name),
    }


@dg.asset(
    name=PRICES.name,
    group_name=GROUP,
    deps=["earn_history"],  # where each coin's prices start
    kinds=KINDS,
    pool=GROUP,
    description=PRICES.description,
    metadata=spec_metadata(PRICES.name),
)
def prices(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    lake: LakeResource,
    price_source: PriceSourceResource,
) -> dg.MaterializeResult[Any]:
    """Fetch each coin's days the lake lacks (and today's candle until it is final), with the
    override files' rows; the source failing after retries fails the step once the rest landed."""
    config = warehouse.settings()
    storage = lake.storage_for_writing()

    async def run() -> PricesReport:
        client = price_source.client(config)
        try:
            return await fetch_prices(config, storage, client=client)
        finally:
            await client.aclose()

    report = anyio.run(run)
    for series in report.series.values():
        if series.gaps:
            context.log.warning(f"{series.name}: no candle for {day_ranges(series.gaps)}")
    metadata = prices_metadata(report, storage)
    if report.errors:
        raise dg.Failure(description="; ".join(report.errors), metadata=metadata)
    return dg.MaterializeResult(metadata=metadata)
