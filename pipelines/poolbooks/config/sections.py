"""The settings tables other than `[[accounts]]`, each into the dataclass its layer declares;
defaults are the dataclasses' own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from poolbooks.config.errors import ConfigError
from poolbooks.config.tables import coin_table, day, number, table, text, zone
from poolbooks.exports.names import BASES, FORMATS
from poolbooks.exports.settings import DEFAULT_EXPORT_FOLDER, ExportSettings
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.settings import IngestSettings
from poolbooks.prices.settings import SOURCES, PriceSettings
from poolbooks.redaction import Secret
from poolbooks.simulator.settings import (
    SimulatorSettings,
    SimulatorSettingsError,
    parse_simulator_settings,
)
from poolbooks.warehouse.settings import DuckDBSettings

EXECUTORS = ("default", "celery")


@dataclass(frozen=True)
class DagsterSettings:
    """`[dagster]`: how the code location runs: retries, executor, backfill size, snapshots."""

    retries: int = 3
    retry_delay_seconds: float = 30.0
    executor: str = EXECUTORS[0]  # or "celery" (broker and backend from DAGSTER_CELERY_*)
    partitions_per_run: int = 0  # 0: a backfill of many accounts is one run
    snapshot_cron: str = "*/10 * * * *"


def client_settings(
    raw: object, environ: Mapping[str, str], require_keys: bool = True
) -> ClientSettings:
    raw = table(raw, "client", ClientSettings)
    defaults = ClientSettings()
    limiter_env = raw.get("limiter_url_env")
    limiter_url = environ.get(str(limiter_env), "") if limiter_env else ""
    where = "[client] limiter_url_env"
    if limiter_env and not limiter_url and require_keys:
        raise ConfigError(where, f"environment variable {limiter_env} is not set")
    if limiter_url and not limiter_url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(where, f"{limiter_env} must hold a redis:// URL")

    def positive(key: str, kind: type) -> float:
        return number(raw, "client", key, getattr(defaults, key), kind)

    return ClientSettings(
        requests_per_second=positive("requests_per_second", float),
        concurrency=int(positive("concurrency", int)),
        timeout_seconds=positive("timeout_seconds", float),
        max_attempts=int(positive("max_attempts", int)),
        backoff_seconds=positive("backoff_seconds", float),
        backoff_cap_seconds=positive("backoff_cap_seconds", float),
        limiter_url=Secret(limiter_url) if limiter_url else None,
        limiter_url_env=str(limiter_env) if limiter_env else None,
    )


def duckdb_settings(raw: object) -> DuckDBSettings:
    raw = table(raw, "duckdb", DuckDBSettings)
    defaults = DuckDBSettings()
    memory = raw.get("memory_limit", defaults.memory_limit)
    if not isinstance(memory, str) or not memory:
        raise ConfigError("[duckdb] memory_limit", "must be a size such as '2GB'")
    threads = int(number(raw, "duckdb", "threads", defaults.threads, int))
    return DuckDBSettings(memory_limit=memory, threads=threads)


def ingest_settings(raw: object) -> IngestSettings:
    raw = table(raw, "ingest", IngestSettings)
    days = number(raw, "ingest", "full_walk_days", IngestSettings.full_walk_days, int)
    return IngestSettings(full_walk_days=int(days))


def dagster_settings(raw: object) -> DagsterSettings:
    raw = table(raw, "dagster", DagsterSettings)
    defaults = DagsterSettings()
    executor = str(raw.get("executor", defaults.executor))
    if executor not in EXECUTORS:
        raise ConfigError(
            "[dagster] executor", f"unknown executor {executor!r} ({' or '.join(EXECUTORS)})"
        )
    cron = str(raw.get("snapshot_cron", defaults.snapshot_cron))
    if len(cron.split()) != 5:
        raise ConfigError("[dagster] snapshot_cron", f"not a cron schedule: {cron!r}")

    def count(key: str, kind: type) -> float:
        return number(raw, "dagster", key, getattr(defaults, key), kind, zero_ok=True)

    return DagsterSettings(
        retries=int(count("retries", int)),
        retry_delay_seconds=count("retry_delay_seconds", float),
        executor=executor,
        partitions_per_run=int(count("partitions_per_run", int)),
        snapshot_cron=cron,
    )


def esplora_urls(raw: object) -> dict[str, str]:
    urls = coin_table(raw, "esplora_urls", "https://…")
    for coin, url in urls.items():
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"esplora_urls.{coin}", "must be an http:// or https:// URL")
    return {coin: url.rstrip("/") for coin, url in urls.items()}


def export_settings(raw: object, base_dir: Path) -> ExportSettings:
    raw = table(raw, "exports", ExportSettings)
    defaults = ExportSettings(folder=base_dir / DEFAULT_EXPORT_FOLDER)
    formats = tuple(raw.get("formats", defaults.formats))
    for name in formats:
        if name not in FORMATS:
            raise ConfigError("[exports] formats", f"unknown format {name!r}")
    years = tuple(raw.get("years", defaults.years))
    if not all(isinstance(y, int) and 2009 <= y <= 2100 for y in years):
        raise ConfigError("[exports] years", "must be a list of years such as [2025]")
    basis = str(raw.get("basis", defaults.basis))
    if basis not in BASES:
        raise ConfigError("[exports] basis", f"unknown basis {basis!r} ({' or '.join(BASES)})")
    prices = raw.get("prices")
    by_coin: dict[str, Path] = {}
    if isinstance(prices, Mapping):
        by_coin = {
            coin: base_dir / path
            for coin, path in coin_table(prices, "[exports] prices", "file.csv").items()
        }
        prices = None
    return ExportSettings(
        folder=base_dir / str(raw.get("folder", DEFAULT_EXPORT_FOLDER)),
        formats=formats,
        years=years,
        basis=basis,
        currency=str(raw["currency"]).upper() if "currency" in raw else defaults.currency,
        timezone=zone(str(raw.get("timezone", defaults.timezone.key)), "[exports] timezone"),
        prices=base_dir / str(prices) if prices else None,
        prices_by_coin=by_coin,
    )


def simulator_settings(raw: object) -> SimulatorSettings:
    raw = table(raw, "simulator", SimulatorSettings)  # its keys checked as every table's
    try:
        return parse_simulator_settings(raw)
    except SimulatorSettingsError as exc:
        raise ConfigError(exc.where, exc.problem) from None


def price_settings(raw: object, base_dir: Path) -> PriceSettings:
    """`[prices]`; override files are relative to the config file (read by each prices run)."""
    raw = table(raw, "prices", PriceSettings)
    defaults = PriceSettings()
    currency = str(raw.get("currency", defaults.currency)).upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise ConfigError("[prices] currency", f"not a currency code: {currency!r} (like USD)")
    source = raw.get("source", defaults.source)
    if source not in SOURCES:
        raise ConfigError("[prices] source", f"unknown source {source!r} ({', '.join(SOURCES)})")
    base_url = text(raw, "prices", "base_url", defaults.base_url)
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError("[prices] base_url", "must be an http:// or https:// URL")
    rate = number(raw, "prices", "requests_per_second", defaults.requests_per_second, float)
    overrides = coin_table(raw.get("overrides", {}), "[prices] overrides", "file.csv")
    return PriceSettings(
        currency=currency,
        source=str(source),
        base_url=base_url.rstrip("/"),
        since=_day(raw.get("since"), "[prices] since"),
        requests_per_second=rate,
        overrides={coin: base_dir / path for coin, path in overrides.items()},
    )


def _day(value: object, where: str) -> date | None:
    """A TOML date (`2016-01-01`) or the same as a string; None when absent."""
    return None if value is None else day(value, where)
