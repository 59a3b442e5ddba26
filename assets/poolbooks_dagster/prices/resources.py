"""The price source as a resource: the real client, swappable in tests by overriding `client`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import dagster as dg

from poolbooks.config import Config
from poolbooks.ingest.prices_run import source_client
from poolbooks.prices.client import CoinbaseCandles


class PriceSourceResource(dg.ConfigurableResource):  # type: ignore[type-arg]
    """The configured source's client (`[prices]`): it needs no key."""

    def client(
        self, config: Config, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> CoinbaseCandles:
        return source_client(config, clock)
