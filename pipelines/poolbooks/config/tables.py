"""Reading one TOML table into typed values: the allowed keys come from the settings
dataclass that receives them, and every problem names `[table] key`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from poolbooks.config.errors import ConfigError, UnknownKey, key_path
from poolbooks.pool_api.hosts import COINS

# Fields the parser fills from elsewhere (a variable's value, a per-coin table): never keys of
# the file.
DERIVED_FIELDS = frozenset({"access_key", "limiter_url", "prices_by_coin"})
# Fields of one settings class filled so: the config's own path is `Config.source`, while
# `[prices] source` is a key; `[costs]` holds each account's power draw, given in `[[accounts]]`.
DERIVED_FIELDS_OF = {
    "Config": frozenset({"source"}),
    "CostSettings": frozenset({"power"}),  # from each account's table
}


def keys_of(settings: type) -> frozenset[str]:
    """The keys a table may hold: the fields of the dataclass it becomes."""
    derived = DERIVED_FIELDS | DERIVED_FIELDS_OF.get(settings.__name__, frozenset())
    return frozenset(f.name for f in fields(settings)) - derived


def table(
    raw: object, name: str, settings: type | tuple[type, ...], account: str | None = None
) -> Mapping[str, Any]:
    """`raw` as the table `[name]` of `settings` (one dataclass, or several that share the
    table), with no key they lack."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"[{name}]" if name else "config", "must be a table", account)
    classes = settings if isinstance(settings, tuple) else (settings,)
    allowed = frozenset().union(*(keys_of(one) for one in classes))
    for key in raw:
        if key not in allowed:
            raise UnknownKey(key_path(name, str(key)), str(key), allowed, account)
    return raw


def number(
    raw: Mapping[str, Any],
    table_name: str | None,
    key: str,
    default: float,
    kind: type,
    *,
    zero_ok: bool = False,
) -> float:
    """A positive (or, with `zero_ok`, non-negative) integer or number."""
    value = raw.get(key, default)
    ok_types = (int,) if kind is int else (int, float, Decimal)  # TOML floats are read exactly
    typed = isinstance(value, ok_types) and not isinstance(value, bool)
    if not typed or value < 0 or (value == 0 and not zero_ok):
        sign = "non-negative" if zero_ok else "positive"
        what = "integer" if kind is int else "number"
        raise ConfigError(key_path(table_name, key), f"must be a {sign} {what}")
    return float(value) if kind is float else value


def text(raw: Mapping[str, Any], table_name: str | None, key: str, default: str) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(key_path(table_name, key), "must be a non-empty string")
    return value


def zone(name: str, where: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(where, f"unknown time zone {name!r}") from None


def location(value: str, base_dir: Path) -> str:
    """A lake location: URIs (s3://...) stay as they are, folders become absolute paths."""
    if "://" in value:
        return value
    return str((base_dir / value).resolve())


def coin_table(raw: object, where: str, what: str) -> dict[str, str]:
    """A `{ BTC = "…", BCH = "…" }` table: known coins (any case) to strings."""
    problem = f'a table of coin = "{what}" ({", ".join(COINS)})'
    if not isinstance(raw, Mapping):
        raise ConfigError(where, problem)
    found: dict[str, str] = {}
    for coin, value in raw.items():
        if str(coin).upper() not in COINS or not isinstance(value, str):
            raise ConfigError(where, problem)
        found[str(coin).upper()] = value
    return found


def day(value: object, where: str) -> date:
    """A TOML date (`2016-01-01`) or the same as a string."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(where, f"not a date: {value!r} (YYYY-MM-DD)") from None
