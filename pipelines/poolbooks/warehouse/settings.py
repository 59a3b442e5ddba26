"""What a warehouse build needs of the configuration: where the lake and the warehouse are,
the pool's time zone, the currency receipts are valued in, the mining costs, and the resources
DuckDB may use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from poolbooks.warehouse.cost_settings import CostSettings

DEFAULT_DUCKDB_MEMORY_LIMIT = "1.5GB"
DEFAULT_DUCKDB_THREADS = 2


@dataclass(frozen=True)
class DuckDBSettings:
    """`[duckdb]`: the resources the warehouse build may use."""

    memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT
    threads: int = DEFAULT_DUCKDB_THREADS


class WarehouseConfig(Protocol):
    """The configuration as the build reads it (the parsed config is one)."""

    @property
    def lake(self) -> str: ...

    @property
    def warehouse(self) -> Path: ...

    @property
    def source(self) -> Path | None: ...  # the config file, named in errors

    @property
    def timezone(self) -> ZoneInfo: ...

    @property
    def duckdb(self) -> DuckDBSettings: ...

    @property
    def price_currency(self) -> str: ...  # `[prices] currency`: the marts value in it only

    @property
    def costs(self) -> CostSettings: ...  # `[costs]` and the accounts' power draws
