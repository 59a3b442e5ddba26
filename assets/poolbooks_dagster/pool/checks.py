"""The snapshot assets' freshness checks: every account's latest snapshot at most 30 minutes old."""

# No `from __future__ import annotations`: Dagster reads the resource annotations at runtime.

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import dagster as dg

from poolbooks.lake.datasets import SNAPSHOT_DATASETS
from poolbooks.lake.errors import LakeLocationError
from poolbooks.lake.reader import newest_fetch_per_account
from poolbooks.lake.storage import LakeStorage
from poolbooks_dagster.pool.resources import LakeResource, PoolApiResource

SNAPSHOT_MAX_AGE = timedelta(minutes=30)
# pool_stats is one answer per pool host, not per account
CHECKED_DATASETS = tuple(name for name in SNAPSHOT_DATASETS if name != "pool_stats")


def check_name(dataset: str) -> str:
    return f"{dataset}_fresh"


def freshness(
    accounts: Sequence[str], open_lake: Callable[[], LakeStorage], dataset: str, now: datetime
) -> dg.AssetCheckResult:
    """Whether every account's newest snapshot in `dataset` is at most SNAPSHOT_MAX_AGE old."""
    problem = None
    try:
        newest = newest_fetch_per_account(open_lake(), dataset)
    except LakeLocationError as exc:  # no lake yet, or not one: nothing in it is fresh
        newest, problem = {}, str(exc)
    stale = [
        account
        for account in accounts
        if account not in newest or now - newest[account] > SNAPSHOT_MAX_AGE
    ]
    oldest = min(newest.values(), default=None)
    return dg.AssetCheckResult(
        asset_key=dataset,
        check_name=check_name(dataset),
        passed=not stale,
        metadata={
            "stale_accounts": ", ".join(stale) or "none",
            "oldest_latest_snapshot": oldest.isoformat() if oldest else "never",
            "max_age_minutes": SNAPSHOT_MAX_AGE.total_seconds() / 60,
            **({"lake_problem": problem} if problem else {}),
        },
    )


def freshness_checks() -> list[dg.AssetChecksDefinition]:
    """A check per account snapshot dataset, run when asked or after its asset."""

    def build(dataset: str) -> dg.AssetChecksDefinition:
        @dg.asset_check(
            asset=dataset,
            name=check_name(dataset),
            blocking=False,
            description=f"Every account's latest {dataset} snapshot is at most "
            f"{SNAPSHOT_MAX_AGE.total_seconds() / 60:.0f} minutes old.",
        )
        def fresh(pool_api: PoolApiResource, lake: LakeResource) -> dg.AssetCheckResult:
            accounts = [a.name for a in pool_api.load(require_keys=False).accounts]
            return freshness(accounts, lake.storage, dataset, datetime.now(UTC))

        return fresh

    return [build(name) for name in CHECKED_DATASETS]
