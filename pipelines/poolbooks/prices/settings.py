"""The `[prices]` settings: which currency, which source and how fast to ask it, and overrides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DEFAULT_CURRENCY = "USD"
COINBASE = "coinbase"
SOURCES = (COINBASE,)
DEFAULT_SOURCE = COINBASE
DEFAULT_BASE_URL = "https://api.exchange.coinbase.com"
# Half of what Coinbase Exchange allows a public endpoint (10 requests/s per IP, bursts of 15):
# the other half stays for whatever else on the machine asks it.
DEFAULT_REQUESTS_PER_SECOND = 5.0


@dataclass(frozen=True)
class PriceSettings:
    """Daily prices of the mined coins in one currency, from one source, less what the user's
    override files (a `date,price` CSV per coin) say instead."""

    currency: str = DEFAULT_CURRENCY
    source: str = DEFAULT_SOURCE
    base_url: str = DEFAULT_BASE_URL
    since: date | None = None  # first day needed; default: each coin's first earning day
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND
    overrides: Mapping[str, Path] = field(default_factory=dict)  # coin -> CSV
