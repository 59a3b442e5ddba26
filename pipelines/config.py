"""poolbooks.toml parsed once, at the edge, into typed settings (CONTRACT section 2)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.errors import UserInputError
from pipelines.http.settings import ClientSettings
from pipelines.ingest.settings import IngestSettings
from pipelines.pool_api.accounts import Account
from pipelines.pool_api.hosts import COINS, DEFAULT_REGION, HOSTS, REGIONS
from pipelines.redaction import Secret
from pipelines.simulator.settings import (
    SimulatorSettings,
    SimulatorSettingsError,
    parse_simulator_settings,
)
from pipelines.warehouse.settings import DuckDBSettings

CONFIG_ENV = "POOLBOOKS_CONFIG"
DEFAULT_CONFIG_NAME = "poolbooks.toml"
DEFAULT_LAKE = "data/lake"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DEFAULT_ESPLORA_URL = "https://blockstream.info/api"
DEFAULT_TIMEZONE = "UTC"

_TOP_KEYS = {
    "lake",
    "warehouse",
    "timezone",
    "esplora_url",
    "esplora_urls",
    "accounts",
    "client",
    "duckdb",
    "exports",
    "simulator",
    "dagster",
    "ingest",
}
_ACCOUNT_KEYS = {"name", "puid", "access_key_env", "coin", "region", "base_url"}
_CLIENT_KEYS = {
    "limiter_url_env",
    "requests_per_second",
    "concurrency",
    "timeout_seconds",
    "max_attempts",
    "backoff_seconds",
    "backoff_cap_seconds",
}
_DUCKDB_KEYS = {"memory_limit", "threads"}
_EXPORT_KEYS = {"folder", "formats", "years", "basis", "currency", "timezone", "prices"}
EXPORT_FORMATS = ("generic", "koinly", "cointracker")
EXPORT_BASES = ("receipt", "accrual")
DEFAULT_EXPORT_FOLDER = "data/exports"
UTC_ZONE = ZoneInfo("UTC")


class ConfigError(UserInputError):
    """A config problem, as one line naming the account (if any) and the field."""

    def __init__(self, field_name: str, problem: str, account: str | None = None) -> None:
        where = f"account {account!r}: " if account is not None else ""
        super().__init__(f"config error: {where}{field_name}: {problem}")
        self.account = account
        self.field = field_name


@dataclass(frozen=True)
class DagsterSettings:
    """How the Dagster code location runs: retries, executor, backfill size, the snapshot cron."""

    retries: int = 3
    retry_delay_seconds: float = 30.0
    executor: str = "default"  # or "celery" (broker and backend from DAGSTER_CELERY_* variables)
    partitions_per_run: int = 0  # 0: a backfill of many accounts is one run
    snapshot_cron: str = "*/10 * * * *"


@dataclass(frozen=True)
class ExportSettings:
    """What the Dagster export assets write (the CLI takes the same as options)."""

    folder: Path
    formats: tuple[str, ...] = EXPORT_FORMATS
    years: tuple[int, ...] = ()  # empty: the last full year
    basis: str = "receipt"
    currency: str = "USD"
    timezone: ZoneInfo = UTC_ZONE
    prices: Path | None = None  # one coin's prices (a config whose accounts mine one coin)
    prices_by_coin: dict[str, Path] = field(default_factory=dict)  # `prices = { BTC = ".." }`


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
    source: Path | None = None
    exports: ExportSettings | None = None
    simulator: SimulatorSettings | None = None
    dagster: DagsterSettings = DagsterSettings()
    ingest: IngestSettings = field(default_factory=IngestSettings)
    esplora_urls: dict[str, str] = field(default_factory=dict)  # per coin, beside BTC's

    def esplora_url_for(self, coin: str) -> str | None:
        """Where a coin's payouts are checked: `esplora_urls` for that coin, else `esplora_url`
        for BTC; None for a coin no Esplora is configured for (its payouts are not asked)."""
        return self.esplora_urls.get(coin) or (self.esplora_url if coin == "BTC" else None)

    @property
    def export_settings(self) -> ExportSettings:
        base = self.source.parent if self.source else Path.cwd()
        return self.exports or ExportSettings(folder=base / DEFAULT_EXPORT_FOLDER)

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


def find_config_path(explicit: Path | None, environ: Mapping[str, str]) -> Path | None:
    """--config, else $POOLBOOKS_CONFIG, else ./poolbooks.toml; None when there is no file."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError("--config", f"no such file: {explicit}")
        return explicit
    if environ.get(CONFIG_ENV):
        path = Path(environ[CONFIG_ENV])
        if not path.is_file():
            raise ConfigError(CONFIG_ENV, f"no such file: {path}")
        return path
    default = Path(DEFAULT_CONFIG_NAME)
    return default if default.is_file() else None


def load_config(
    explicit: Path | None, environ: Mapping[str, str], require_keys: bool = True
) -> Config:
    """Find and parse the config as CONTRACT section 2 says; raise ConfigError on any problem.

    `require_keys=False` is for tools that only need the accounts' names (Dagster loading
    its partitions): a missing key is then an empty Secret instead of an error.
    """
    path = find_config_path(explicit, environ)
    if path is None:
        return _config_from_environment(environ, require_keys)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read TOML: {exc}") from None
    return parse_config(
        data,
        environ,
        base_dir=path.resolve().parent,
        source=path.resolve(),
        require_keys=require_keys,
    )


def parse_config(
    data: Mapping[str, Any],
    environ: Mapping[str, str],
    base_dir: Path,
    source: Path | None = None,
    require_keys: bool = True,
) -> Config:
    """Typed settings from a parsed TOML document; paths are relative to `base_dir`."""
    _reject_unknown(data, _TOP_KEYS, account=None)
    raw_accounts = data.get("accounts")
    if not isinstance(raw_accounts, list) or not raw_accounts:
        raise ConfigError("accounts", "at least one [[accounts]] table is required")
    accounts: list[Account] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_accounts):
        account = _parse_account(raw, index, environ, require_keys)
        if account.name in seen:
            raise ConfigError("name", "duplicate account name", account=account.name)
        seen.add(account.name)
        accounts.append(account)
    exports = _export_settings(data["exports"], base_dir) if "exports" in data else None
    coins = sorted({account.coin for account in accounts})
    if exports is not None and exports.prices is not None and len(coins) > 1:
        raise ConfigError(
            "exports.prices",
            f"one price file for accounts mining {', '.join(coins)}: give one per coin, "
            'prices = { BTC = "btc.csv", BCH = "bch.csv" }',
        )
    return Config(
        lake=_location(_text(data, "lake", DEFAULT_LAKE), base_dir),
        warehouse=base_dir / _text(data, "warehouse", DEFAULT_WAREHOUSE),
        timezone=_zone(_text(data, "timezone", DEFAULT_TIMEZONE)),
        esplora_url=_text(data, "esplora_url", DEFAULT_ESPLORA_URL).rstrip("/"),
        esplora_urls=_esplora_urls(data.get("esplora_urls", {})),
        accounts=tuple(accounts),
        client=_client_settings(data.get("client", {}), environ, require_keys),
        duckdb=_duckdb_settings(data.get("duckdb", {})),
        source=source,
        exports=exports,
        simulator=_simulator_settings(data["simulator"]) if "simulator" in data else None,
        dagster=_dagster_settings(data.get("dagster", {})),
        ingest=_ingest_settings(data.get("ingest", {})),
    )


def _simulator_settings(raw: object) -> SimulatorSettings:
    try:
        return parse_simulator_settings(raw)
    except SimulatorSettingsError as exc:
        raise ConfigError(exc.where, exc.problem) from None


def _config_from_environment(environ: Mapping[str, str], require_keys: bool = True) -> Config:
    if not environ.get("POOLBOOKS_PUID") and not environ.get("POOLBOOKS_ACCESS_KEY"):
        raise ConfigError(
            "config",
            f"no config file (--config, ${CONFIG_ENV} or ./{DEFAULT_CONFIG_NAME}) "
            "and POOLBOOKS_PUID / POOLBOOKS_ACCESS_KEY are not set",
        )
    raw: dict[str, Any] = {
        "name": "default",
        "puid": environ.get("POOLBOOKS_PUID", ""),
        "access_key_env": "POOLBOOKS_ACCESS_KEY",
        "coin": environ.get("POOLBOOKS_COIN", "BTC"),
    }
    if environ.get("POOLBOOKS_REGION"):
        raw["region"] = environ["POOLBOOKS_REGION"]
    return parse_config(
        {"accounts": [raw]}, environ, base_dir=Path.cwd(), require_keys=require_keys
    )


def _parse_account(
    raw: object, index: int, environ: Mapping[str, str], require_keys: bool
) -> Account:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"accounts[{index}]", "must be a table")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("name", "a non-empty string is required", account=f"#{index + 1}")
    name = name.strip()
    _reject_unknown(raw, _ACCOUNT_KEYS, account=name)
    puid = _puid(raw.get("puid"), name)
    coin = str(raw.get("coin", "BTC")).upper()
    if coin not in COINS:
        raise ConfigError("coin", f"unknown coin {coin!r} (one of {', '.join(COINS)})", name)
    region = str(raw.get("region", DEFAULT_REGION[coin])).lower()
    if region not in REGIONS:
        raise ConfigError(
            "region", f"unknown region {region!r} (one of {', '.join(REGIONS)})", name
        )
    base_url = raw.get("base_url")
    if base_url is not None and (
        not isinstance(base_url, str) or not base_url.startswith(("http://", "https://"))
    ):
        raise ConfigError("base_url", "must be an http:// or https:// URL", name)
    if base_url is None and region not in HOSTS[coin]:
        regions = ", ".join(HOSTS[coin])
        raise ConfigError(
            "region", f"{coin} has no host in region {region!r} (one of {regions})", name
        )
    key_env = raw.get("access_key_env")
    if not isinstance(key_env, str) or not key_env:
        raise ConfigError(
            "access_key_env", "missing: the name of the variable holding the key", name
        )
    key = environ.get(key_env, "")
    if not key and require_keys:
        raise ConfigError("access_key_env", f"environment variable {key_env} is not set", name)
    return Account(
        name=name,
        puid=puid,
        coin=coin,
        region=region,
        access_key=Secret(key),
        access_key_env=key_env,
        base_url=base_url,
    )


def _puid(value: object, account: str) -> int:
    if isinstance(value, bool):
        raise ConfigError("puid", "must be a positive integer", account)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value <= 0:
        raise ConfigError("puid", "must be a positive integer", account)
    return value


def _reject_unknown(raw: Mapping[str, Any], allowed: set[str], account: str | None) -> None:
    for key in raw:
        if key not in allowed:
            raise ConfigError(str(key), "unknown field", account)


def _text(data: Mapping[str, Any], key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(key, "must be a non-empty string")
    return value


def _location(value: str, base_dir: Path) -> str:
    """A lake location: URIs (s3://...) stay as they are, folders become absolute paths."""
    if "://" in value:
        return value
    return str((base_dir / value).resolve())


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("timezone", f"unknown time zone {name!r}") from None


def _client_settings(
    raw: object, environ: Mapping[str, str], require_keys: bool = True
) -> ClientSettings:
    if not isinstance(raw, Mapping):
        raise ConfigError("client", "must be a table")
    _reject_unknown(raw, _CLIENT_KEYS, account=None)
    defaults = ClientSettings()
    limiter_env = raw.get("limiter_url_env")
    limiter_url = environ.get(str(limiter_env), "") if limiter_env else ""
    if limiter_env and not limiter_url and require_keys:
        raise ConfigError(
            "client.limiter_url_env", f"environment variable {limiter_env} is not set"
        )
    if limiter_url and not limiter_url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError("client.limiter_url_env", f"{limiter_env} must hold a redis:// URL")
    return ClientSettings(
        requests_per_second=_number(
            raw, "requests_per_second", defaults.requests_per_second, float
        ),
        concurrency=int(_number(raw, "concurrency", defaults.concurrency, int)),
        timeout_seconds=_number(raw, "timeout_seconds", defaults.timeout_seconds, float),
        max_attempts=int(_number(raw, "max_attempts", defaults.max_attempts, int)),
        backoff_seconds=_number(raw, "backoff_seconds", defaults.backoff_seconds, float),
        backoff_cap_seconds=_number(
            raw, "backoff_cap_seconds", defaults.backoff_cap_seconds, float
        ),
        limiter_url=Secret(limiter_url) if limiter_url else None,
        limiter_url_env=str(limiter_env) if limiter_env else None,
    )


def _duckdb_settings(raw: object) -> DuckDBSettings:
    if not isinstance(raw, Mapping):
        raise ConfigError("duckdb", "must be a table")
    _reject_unknown(raw, _DUCKDB_KEYS, account=None)
    defaults = DuckDBSettings()
    memory = raw.get("memory_limit", defaults.memory_limit)
    if not isinstance(memory, str) or not memory:
        raise ConfigError("duckdb.memory_limit", "must be a size such as '2GB'")
    threads = int(_number(raw, "threads", defaults.threads, int))
    return DuckDBSettings(memory_limit=memory, threads=threads)


def _ingest_settings(raw: object) -> IngestSettings:
    if not isinstance(raw, Mapping):
        raise ConfigError("ingest", "must be a table")
    _reject_unknown(raw, {f.name for f in fields(IngestSettings)}, account=None)
    days = _number(raw, "full_walk_days", IngestSettings.full_walk_days, int, section="ingest")
    return IngestSettings(full_walk_days=int(days))


def _dagster_settings(raw: object) -> DagsterSettings:
    if not isinstance(raw, Mapping):
        raise ConfigError("dagster", "must be a table")
    _reject_unknown(raw, {f.name for f in fields(DagsterSettings)}, account=None)
    defaults = DagsterSettings()
    executor = str(raw.get("executor", defaults.executor))
    if executor not in ("default", "celery"):
        raise ConfigError("dagster.executor", f"unknown executor {executor!r} (default or celery)")
    cron = str(raw.get("snapshot_cron", defaults.snapshot_cron))
    if len(cron.split()) != 5:
        raise ConfigError("dagster.snapshot_cron", f"not a cron schedule: {cron!r}")
    return DagsterSettings(
        retries=int(
            _number(raw, "retries", defaults.retries, int, zero_ok=True, section="dagster")
        ),
        retry_delay_seconds=_number(
            raw,
            "retry_delay_seconds",
            defaults.retry_delay_seconds,
            float,
            zero_ok=True,
            section="dagster",
        ),
        executor=executor,
        partitions_per_run=int(
            _number(
                raw,
                "partitions_per_run",
                defaults.partitions_per_run,
                int,
                zero_ok=True,
                section="dagster",
            )
        ),
        snapshot_cron=cron,
    )


def _coin_table(raw: object, key: str, what: str) -> dict[str, str]:
    """A `{ BTC = "…", BCH = "…" }` table: known coins (any case) to strings."""
    problem = f'a table of coin = "{what}" ({", ".join(COINS)})'
    if not isinstance(raw, Mapping):
        raise ConfigError(key, problem)
    table: dict[str, str] = {}
    for coin, value in raw.items():
        if str(coin).upper() not in COINS or not isinstance(value, str):
            raise ConfigError(key, problem)
        table[str(coin).upper()] = value
    return table


def _esplora_urls(raw: object) -> dict[str, str]:
    urls = _coin_table(raw, "esplora_urls", "https://…")
    for coin, url in urls.items():
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"esplora_urls.{coin}", "must be an http:// or https:// URL")
    return {coin: url.rstrip("/") for coin, url in urls.items()}


def _export_settings(raw: object, base_dir: Path) -> ExportSettings:
    if not isinstance(raw, Mapping):
        raise ConfigError("exports", "must be a table")
    _reject_unknown(raw, _EXPORT_KEYS, account=None)
    formats = tuple(raw.get("formats", EXPORT_FORMATS))
    for name in formats:
        if name not in EXPORT_FORMATS:
            raise ConfigError("exports.formats", f"unknown format {name!r}")
    years = tuple(raw.get("years", ()))
    if not all(isinstance(y, int) and 2009 <= y <= 2100 for y in years):
        raise ConfigError("exports.years", "must be a list of years such as [2025]")
    basis = str(raw.get("basis", "receipt"))
    if basis not in EXPORT_BASES:
        raise ConfigError("exports.basis", f"unknown basis {basis!r} (receipt or accrual)")
    prices = raw.get("prices")
    by_coin: dict[str, Path] = {}
    if isinstance(prices, Mapping):
        table = _coin_table(prices, "exports.prices", "file.csv")
        by_coin = {coin: base_dir / path for coin, path in table.items()}
        prices = None
    return ExportSettings(
        folder=base_dir / str(raw.get("folder", DEFAULT_EXPORT_FOLDER)),
        formats=formats,
        years=years,
        basis=basis,
        currency=str(raw.get("currency", "USD")).upper(),
        timezone=_zone(str(raw.get("timezone", "UTC"))),
        prices=base_dir / str(prices) if prices else None,
        prices_by_coin=by_coin,
    )


def _number(
    raw: Mapping[str, Any],
    key: str,
    default: float,
    kind: type,
    *,
    zero_ok: bool = False,
    section: str | None = None,
) -> float:
    """A positive (or, with `zero_ok`, non-negative) integer or number from a config table."""
    value = raw.get(key, default)
    ok_types = (int,) if kind is int else (int, float)
    typed = isinstance(value, ok_types) and not isinstance(value, bool)
    if not typed or value < 0 or (value == 0 and not zero_ok):
        sign = "non-negative" if zero_ok else "positive"
        what = "integer" if kind is int else "number"
        raise ConfigError(f"{section}.{key}" if section else key, f"must be a {sign} {what}")
    return float(value) if kind is float else value
