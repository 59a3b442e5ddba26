"""What a warehouse build needs of the configuration: where the lake and the warehouse are,
the pool's time zone, the currency receipts are valued in, the mining costs, and the resources
DuckDB may use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from poolbooks.warehouse.cost_settings import CostSettings

# The build of 1,000 accounts x 10 years peaks below 1 GiB of RSS at this limit (DuckDB fills
# whatever limit it has with cache; the process holds about 150-200 MiB beside it), 4-12 %
# slower than at 1.5GB: benchmarks/README.md, B5.
DEFAULT_DUCKDB_MEMORY_LIMIT = "800MB"
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
