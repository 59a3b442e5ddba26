"""The parsed configuration: where data lives, which accounts to read, and each layer's
settings, as the dataclasses those layers declare."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from poolbooks.config.errors import ConfigError
from poolbooks.config.sections import DagsterSettings
from poolbooks.exports.settings import DEFAULT_EXPORT_FOLDER, ExportSettings
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.settings import IngestSettings
from poolbooks.pool_api.accounts import Account
from poolbooks.prices.settings import PriceSettings
from poolbooks.simulator.settings import SimulatorSettings
from poolbooks.warehouse.cost_settings import CostSettings
from poolbooks.warehouse.settings import DuckDBSettings

DEFAULT_LAKE = "data/lake"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DEFAULT_ESPLORA_URL = "https://blockstream.info/api"
DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True)
class Config:
    """Everything poolbooks needs to know about where data lives and which accounts to read."""

    lake: str
    warehouse: Path
    timezone: ZoneInfo
    esplora_url: str
    accounts: tuple[Account, ...]
    client: ClientSettings = field(default_factory=ClientSettings)
    duckdb: DuckDBSettings = field(default_factory=DuckDBSettings)
    source: Path | None = None  # the file it was read from
    exports: ExportSettings | None = None
    simulator: SimulatorSettings | None = None
    dagster: DagsterSettings = field(default_factory=DagsterSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    esplora_urls: dict[str, str] = field(default_factory=dict)  # per coin, beside BTC's
    prices: PriceSettings | None = None  # `[prices]`: fetched by `ingest` only when present
    costs: CostSettings = field(default_factory=CostSettings)  # `[costs]` and power draws

    def esplora_url_for(self, coin: str) -> str | None:
        """Where a coin's payouts are checked: `esplora_urls` for that coin, else `esplora_url`
        for BTC; None for a coin no Esplora is configured for (its payouts are not asked)."""
        return self.esplora_urls.get(coin) or (self.esplora_url if coin == "BTC" else None)

    @property
    def export_settings(self) -> ExportSettings:
        base = self.source.parent if self.source else Path.cwd()
        return self.exports or ExportSettings(folder=base / DEFAULT_EXPORT_FOLDER)

    @property
    def price_settings(self) -> PriceSettings:
        """`[prices]`, or its defaults (what `poolbooks prices` uses without the table)."""
        return self.prices or PriceSettings()

    @property
    def price_currency(self) -> str:
        """The currency the warehouse values receipts in: `[prices] currency`, else USD."""
        return self.price_settings.currency

    def account(self, name: str) -> Account:
        for account in self.accounts:
            if account.name == name:
                return account
        raise ConfigError("account", f"no account named {name!r} in the config")

    def select(self, names: list[str] | tuple[str, ...]) -> tuple[Account, ...]:
        """The named accounts, in config order; all of them when `names` is empty."""
        if not names:
            return self.accounts
        wanted = {self.account(name).name for name in names}
        return tuple(a for a in self.accounts if a.name in wanted)
