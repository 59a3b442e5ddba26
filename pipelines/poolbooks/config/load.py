"""Finding the config file (in the order docs/configuration.md gives) and reading it into a
Config."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from poolbooks.config.accounts import account_from_environment, parse_accounts
from poolbooks.config.costs import account_powers, cost_settings
from poolbooks.config.errors import ConfigError, UnknownKey
from poolbooks.config.model import (
    DEFAULT_ESPLORA_URL,
    DEFAULT_LAKE,
    DEFAULT_TIMEZONE,
    DEFAULT_WAREHOUSE,
    Config,
)
from poolbooks.config.sections import (
    client_settings,
    dagster_settings,
    duckdb_settings,
    esplora_urls,
    export_settings,
    ingest_settings,
    price_settings,
    simulator_settings,
)
from poolbooks.config.tables import location, table, text, zone
from poolbooks.prices.settings import PriceSettings

CONFIG_ENV = "POOLBOOKS_CONFIG"
DEFAULT_CONFIG_NAME = "poolbooks.toml"


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
    """Find and parse the config as docs/configuration.md says; raise ConfigError on any problem.

    `require_keys=False` is for tools that only need the accounts' names (Dagster loading
    its partitions): a missing key is then an empty Secret instead of an error.
    """
    path = find_config_path(explicit, environ)
    if path is None:
        account = account_from_environment(environ)
        if account is None:
            raise ConfigError(
                "config",
                f"no config file (--config, ${CONFIG_ENV} or ./{DEFAULT_CONFIG_NAME}) "
                "and POOLBOOKS_PUID / POOLBOOKS_ACCESS_KEY are not set",
            )
        return parse_config({"accounts": [account]}, environ, Path.cwd(), None, require_keys)
    try:
        # numbers with a fraction as exact Decimals: a tariff is never a binary float
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read TOML: {exc}") from None
    try:
        return parse_config(data, environ, path.resolve().parent, path.resolve(), require_keys)
    except UnknownKey as exc:  # a typo: say in which file, as well as which table
        raise exc.in_file(path) from None


def parse_config(
    data: Mapping[str, Any],
    environ: Mapping[str, str],
    base_dir: Path,
    source: Path | None = None,
    require_keys: bool = True,
) -> Config:
    """Typed settings from a parsed TOML document; paths are relative to `base_dir`."""
    table(data, "", Config)
    accounts = parse_accounts(data.get("accounts"), environ, require_keys)
    exports = export_settings(data["exports"], base_dir) if "exports" in data else None
    coins = sorted({account.coin for account in accounts})
    if exports is not None and exports.prices is not None and len(coins) > 1:
        raise ConfigError(
            "[exports] prices",
            f"one price file for accounts mining {', '.join(coins)}: give one per coin, "
            'prices = { BTC = "btc.csv", BCH = "bch.csv" }',
        )
    simulator = data.get("simulator")
    prices = price_settings(data["prices"], base_dir) if "prices" in data else None
    costs = cost_settings(
        data.get("costs", {}),
        account_powers(data["accounts"]),
        (prices or PriceSettings()).currency,
    )
    return Config(
        lake=location(text(data, None, "lake", DEFAULT_LAKE), base_dir),
        warehouse=base_dir / text(data, None, "warehouse", DEFAULT_WAREHOUSE),
        timezone=zone(text(data, None, "timezone", DEFAULT_TIMEZONE), "timezone"),
        esplora_url=text(data, None, "esplora_url", DEFAULT_ESPLORA_URL).rstrip("/"),
        esplora_urls=esplora_urls(data.get("esplora_urls", {})),
        accounts=accounts,
        client=client_settings(data.get("client", {}), environ, require_keys),
        duckdb=duckdb_settings(data.get("duckdb", {})),
        source=source,
        exports=exports,
        simulator=simulator_settings(simulator) if simulator is not None else None,
        dagster=dagster_settings(data.get("dagster", {})),
        ingest=ingest_settings(data.get("ingest", {})),
        prices=prices,
        costs=costs,
    )
