"""The prices' freshness check: yesterday's final price of every coin the accounts mine."""

# No `from __future__ import annotations`: Dagster reads the resource annotations at runtime.

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

import dagster as dg

from poolbooks.ingest.prices_state import coins_priced_on
from poolbooks.lake.datasets import PRICES
from poolbooks.lake.errors import LakeLocationError
from poolbooks.lake.storage import LakeStorage
from poolbooks_dagster.pool.resources import LakeResource
from poolbooks_dagster.warehouse.resources import WarehouseResource

CHECK_NAME = "prices_fresh"


def prices_freshness(
    coins: Sequence[str], currency: str, open_lake: Callable[[], LakeStorage], now: datetime
) -> dg.AssetCheckResult:
    """Whether every coin has a final price of yesterday (UTC) in `currency`."""
    yesterday: date = now.astimezone(UTC).date() - timedelta(days=1)
    problem = None
    try:
        priced = coins_priced_on(open_lake(), currency, yesterday)
    except LakeLocationError as exc:  # no lake yet, or not one: nothing in it is fresh
        priced, problem = set(), str(exc)
    missing = [coin for coin in coins if coin not in priced]
    return dg.AssetCheckResult(
        asset_key=PRICES.name,
        check_name=CHECK_NAME,
        passed=not missing,
        metadata={
            "day": str(yesterday),
            "currency": currency,
            "missing_coins": ", ".join(missing) or "none",
            **({"lake_problem": problem} if problem else {}),
        },
    )


@dg.asset_check(
    asset=PRICES.name,
    name=CHECK_NAME,
    blocking=False,
    description="Every coin the accounts mine has a final price of yesterday (UTC).",
)
def prices_fresh(warehouse: WarehouseResource, lake: LakeResource) -> dg.AssetCheckResult:
    config = warehouse.settings()
    coins = sorted({account.coin for account in config.accounts})
    return prices_freshness(coins, config.price_settings.currency, lake.storage, datetime.now(UTC))
