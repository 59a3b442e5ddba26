"""`[[accounts]]`: each sub-account, its key read from the variable it names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from poolbooks.config.errors import ConfigError
from poolbooks.config.tables import table
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.hosts import COINS, DEFAULT_REGION, HOSTS, REGIONS
from poolbooks.redaction import Secret
from poolbooks.warehouse.cost_settings import AccountPower

# What an `[[accounts]]` table holds: the account as the pool client needs it, and its power
# draw for the P&L (read by config/costs.py).
ACCOUNT_SETTINGS = (Account, AccountPower)


def parse_accounts(
    raw_accounts: object, environ: Mapping[str, str], require_keys: bool
) -> tuple[Account, ...]:
    if not isinstance(raw_accounts, list) or not raw_accounts:
        raise ConfigError("accounts", "at least one [[accounts]] table is required")
    accounts: list[Account] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_accounts):
        account = parse_account(raw, index, environ, require_keys)
        if account.name in seen:
            raise ConfigError("name", "duplicate account name", account=account.name)
        seen.add(account.name)
        accounts.append(account)
    return tuple(accounts)


def parse_account(
    raw: object, index: int, environ: Mapping[str, str], require_keys: bool
) -> Account:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"accounts[{index}]", "must be a table")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("name", "a non-empty string is required", account=f"#{index + 1}")
    name = name.strip()
    table(raw, "", ACCOUNT_SETTINGS, account=name)
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


def account_from_environment(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The one account `POOLBOOKS_PUID` / `POOLBOOKS_ACCESS_KEY` describe, as a table."""
    if not environ.get("POOLBOOKS_PUID") and not environ.get("POOLBOOKS_ACCESS_KEY"):
        return None
    raw: dict[str, Any] = {
        "name": "default",
        "puid": environ.get("POOLBOOKS_PUID", ""),
        "access_key_env": "POOLBOOKS_ACCESS_KEY",
        "coin": environ.get("POOLBOOKS_COIN", "BTC"),
    }
    if environ.get("POOLBOOKS_REGION"):
        raw["region"] = environ["POOLBOOKS_REGION"]
    return raw


def _puid(value: object, account: str) -> int:
    if isinstance(value, bool):
        raise ConfigError("puid", "must be a positive integer", account)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value <= 0:
        raise ConfigError("puid", "must be a positive integer", account)
    return value
