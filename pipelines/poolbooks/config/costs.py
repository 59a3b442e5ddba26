"""`[costs]` and each account's power draw, as exact decimals; every problem names the key and
the entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from poolbooks.config.errors import ConfigError, UnknownKey
from poolbooks.config.tables import day, table
from poolbooks.warehouse.cost_settings import (
    FROM_KEY,
    PLACES,
    AccountPower,
    CostSettings,
    FixedCost,
    Tariff,
)

# The largest figure a key takes: what its warehouse column holds (DECIMAL(18, places)).
LIMIT = Decimal(10) ** 9
SCHEDULES = {"electricity": ("price_per_kwh", Tariff), "fixed": ("per_month", FixedCost)}


def exact(value: object, where: str, places: int, account: str | None = None) -> Decimal:
    """A non-negative decimal written as a string (`"0.0825"`) or a TOML number, exactly, with
    at most `places` decimal places."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ConfigError(where, f'must be a decimal number such as "0.08", not {value!r}', account)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ConfigError(where, f"not a decimal number: {value!r}", account) from None
    if not number.is_finite():
        raise ConfigError(where, f"not a decimal number: {value!r}", account)
    if number < 0:
        raise ConfigError(where, f"{number} is negative", account)
    if number >= LIMIT:
        raise ConfigError(where, f"{number} is too large (below {LIMIT:,} please)", account)
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise ConfigError(where, f"{number} has more than {places} decimal places", account)
    return number


def account_power(raw: Mapping[str, Any], account: str) -> AccountPower | None:
    """An `[[accounts]]` table's `power_watts` or `efficiency_j_per_th`, never both."""
    given = [key for key in ("power_watts", "efficiency_j_per_th") if key in raw]
    if not given:
        return None
    if len(given) == 2:
        raise ConfigError(
            "power_watts, efficiency_j_per_th",
            "give one, not both: power_watts for a constant draw, efficiency_j_per_th for "
            "a draw that follows the measured hashrate",
            account,
        )
    (key,) = given
    figure = exact(raw[key], key, PLACES[key], account)
    if figure == 0:
        raise ConfigError(key, "must be above zero", account)
    return AccountPower(**{key: figure})


def account_powers(raw_accounts: Sequence[Mapping[str, Any]]) -> dict[str, AccountPower]:
    """Each account's power draw by its name, for the accounts that give one (the tables have
    been read as accounts already: their names are sound)."""
    powers = {}
    for raw in raw_accounts:
        name = str(raw["name"]).strip()
        if (power := account_power(raw, name)) is not None:
            powers[name] = power
    return powers


def cost_settings(
    raw: object, powers: Mapping[str, AccountPower], price_currency: str
) -> CostSettings:
    """`[costs]` (absent: `{}`) with the accounts' power draws; its `currency`, when given,
    must be the currency prices and values are in."""
    raw = table(raw, "costs", CostSettings)
    currency = raw.get("currency")
    if currency is not None:
        currency = str(currency).upper()
        if currency != price_currency:
            raise ConfigError(
                "[costs] currency",
                f"{currency}, but values are in {price_currency} ([prices] currency): costs "
                "are counted in the prices' currency",
            )
    return CostSettings(
        currency=currency,
        electricity=tuple(_schedule(raw.get("electricity", []), "electricity")),
        fixed=tuple(_schedule(raw.get("fixed", []), "fixed")),
        power=dict(powers),
    )


def _schedule(raw: object, key: str) -> list[Any]:
    """A dated schedule: entries `{ from = DATE, <figure> = "…" }` in date order, each date
    once."""
    figure, entry_class = SCHEDULES[key]
    example = f'[{{ {FROM_KEY} = 2024-01-01, {figure} = "…" }}, …]'
    if not isinstance(raw, list):
        raise ConfigError(f"[costs] {key}", f"must be a list of entries such as {example}")
    entries: list[Any] = []
    for number, entry in enumerate(raw, 1):
        where = f"[costs] {key} entry {number}"
        if not isinstance(entry, Mapping):
            raise ConfigError(where, f"must be a table such as {example[1:-4]}")
        for name in entry:
            if name not in (FROM_KEY, figure):
                raise UnknownKey(f"{where} {name}", str(name), frozenset({FROM_KEY, figure}))
        for name in (FROM_KEY, figure):
            if name not in entry:
                raise ConfigError(f"{where} {name}", "missing")
        start = day(entry[FROM_KEY], f"{where} {FROM_KEY}")
        if entries and start <= entries[-1].from_:
            raise ConfigError(
                f"{where} {FROM_KEY}",
                f"{start} is not after the entry before it ({entries[-1].from_}): give the "
                "entries in date order, each date once",
            )
        amount = exact(entry[figure], f"{where} ({FROM_KEY} {start}) {figure}", PLACES[figure])
        entries.append(entry_class(start, amount))
    return entries
