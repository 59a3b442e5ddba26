"""The warehouse job; `sensors.py` runs it once after earn-history ingestion settles."""

from __future__ import annotations

import dagster as dg


def warehouse_jobs() -> list[dg.UnresolvedAssetJobDefinition]:
    return [
        dg.define_asset_job(
            "warehouse_job",
            selection=dg.AssetSelection.groups("warehouse", "exports"),
            description="Build every SQL model, run the data tests, reconcile, export, report.",
        )
    ]
