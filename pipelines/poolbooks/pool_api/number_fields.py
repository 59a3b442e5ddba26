"""Field parsers for numbers of pool API bodies: satoshi, counts, integers, rates, hashrates."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from poolbooks.pool_api.envelope import Where

INT64_MAX = 2**63 - 1
FLOAT_EXACT_MAX = 2**53
HASHRATE_UNITS = {"": 0, "H": 0, "K": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


def parse_sat(value: object, field: str, where: Where) -> int:
    """Integer satoshi from an int, a digit string or an integral float; never negative."""
    if type(value) is int and 0 <= value <= INT64_MAX:  # the usual cases, first
        return value
    if type(value) is str and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    if value is None:
        where.fail(field, "missing")
    if isinstance(value, bool):
        where.fail(field, f"not a satoshi amount: {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+", text) is None:
            where.fail(field, f"not an integer number of satoshi: {value!r}")
        value = int(text)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or abs(value) > FLOAT_EXACT_MAX:
            where.fail(field, f"not an integer number of satoshi: {value!r}")
        value = int(value)
    if not isinstance(value, int):
        where.fail(field, f"not a satoshi amount: {value!r}")
    if value < 0:
        where.fail(field, f"negative satoshi amount {value}")
    if value > INT64_MAX:
        where.fail(field, f"satoshi amount {value} is beyond int64")
    return value


def parse_hashrate_value(
    data: Mapping[str, Any], key: str, unit_key: str, where: Where, prefix: str = ""
) -> float:
    """A hashrate and its unit (K, M, G, T, P, E) as H/s."""
    if key not in data:
        where.fail(prefix + key, "missing")
    amount = _decimal(data[key], prefix + key, where)
    unit = data.get(unit_key, "")
    if not isinstance(unit, str):
        where.fail(prefix + unit_key, f"not a unit: {unit!r}")
    letter = unit.strip().upper().removesuffix("H/S").removesuffix("/S")
    if letter not in HASHRATE_UNITS:
        where.fail(prefix + unit_key, f"unknown hashrate unit {unit!r}")
    if amount < 0:
        where.fail(prefix + key, f"negative hashrate {data[key]!r}")
    return float(amount.scaleb(HASHRATE_UNITS[letter]))


def _decimal(value: object, field: str, where: Where) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        where.fail(field, f"not a number: {value!r}")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        where.fail(field, f"not a number: {value!r}")
    if not number.is_finite():
        where.fail(field, f"not a finite number: {value!r}")
    return number


def parse_number(value: object, field: str, where: Where) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            where.fail(field, f"number out of range: {value!r}")
        if not math.isfinite(number):
            where.fail(field, f"not a finite number: {value!r}")
        return number
    return float(_decimal(value, field, where))


def parse_optional_number(value: object, field: str, where: Where) -> float | None:
    if type(value) is int and -FLOAT_EXACT_MAX <= value <= FLOAT_EXACT_MAX:
        return float(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_number(value, field, where)


def parse_integer(value: object, field: str, where: Where) -> int:
    number = _decimal(value, field, where)
    if number != number.to_integral_value() or abs(number) > INT64_MAX:
        where.fail(field, f"not an integer: {value!r}")
    return int(number)


def parse_count(data: Mapping[str, Any], key: str, where: Where) -> int:
    if key not in data:
        where.fail(key, "missing")
    number = parse_integer(data[key], key, where)
    if number < 0:
        where.fail(key, f"negative count {data[key]!r}")
    return number
