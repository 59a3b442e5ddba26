"""`[exports]`: what the Dagster export assets write (the CLI takes the same as options)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from poolbooks.exports.names import BASES, FORMATS

DEFAULT_EXPORT_FOLDER = "data/exports"


@dataclass(frozen=True)
class ExportSettings:
    folder: Path
    formats: tuple[str, ...] = FORMATS
    years: tuple[int, ...] = ()  # empty: the last full year
    basis: str = BASES[0]
    currency: str | None = None  # of `prices` (USD when None); else the warehouse's
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    prices: Path | None = None  # one coin's prices (a config whose accounts mine one coin)
    prices_by_coin: dict[str, Path] = field(default_factory=dict)  # `prices = { BTC = ".." }`
