"""Coinbase Exchange's daily candles read exactly: `[time, low, high, open, close, volume]`
rows, every number a Decimal (never a float)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, localcontext
from typing import Any

from poolbooks.http.errors import BadResponse, MalformedData

ENDPOINT = "candles"
# The lake keeps prices as DECIMAL(38,10): a number with more places, or more digits before
# the point, would not fit exactly, so it is refused rather than rounded.
PLACES = 10
INTEGER_DIGITS = 28
STEP = Decimal(1).scaleb(-PLACES)
LAKE_TYPE = f"DECIMAL({INTEGER_DIGITS + PLACES},{PLACES})"
FIELDS = ("time", "low", "high", "open", "close", "volume")


@dataclass(frozen=True)
class Candle:
    """One day of one product: the bucket's UTC day and its prices, exact."""

    day: date
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def load_exact(raw: bytes) -> Any:
    """JSON with every number a Decimal; NaN and Infinity refused."""
    return json.loads(raw, parse_float=Decimal, parse_int=Decimal, parse_constant=_refuse_constant)


def parse_candles(raw: bytes, product: str) -> list[Candle]:
    """Every candle of an answer, oldest first (Coinbase sends them newest first). A body that
    is not JSON is retried (BadResponse); JSON that breaks the layout names the candle and
    field (MalformedData)."""
    try:
        body = load_exact(raw)
    except (ValueError, RecursionError):
        raise BadResponse(product, ENDPOINT, "body is not JSON") from None
    if not isinstance(body, list):
        problem = f"expected a list of candles, got {type(body).__name__}"
        raise MalformedData(product, ENDPOINT, "body", problem)
    candles = [_candle(item, index, product) for index, item in enumerate(body)]
    return sorted(candles, key=lambda c: c.day)


def _candle(item: object, index: int, product: str) -> Candle:
    where = f"[{index}]"
    if not isinstance(item, list) or len(item) != len(FIELDS):
        problem = f"expected {len(FIELDS)} numbers ({', '.join(FIELDS)})"
        raise MalformedData(product, ENDPOINT, where, problem)
    values = [
        _number(value, f"{where}.{name}", product) for value, name in zip(item, FIELDS, strict=True)
    ]
    time, low, high, open_, close, volume = values
    if time != time.to_integral_value() or not 0 <= time < 2**40:
        raise MalformedData(product, ENDPOINT, f"{where}.time", f"{time} is not unix seconds")
    day = datetime.fromtimestamp(int(time), UTC).date()
    for name, price in (("low", low), ("high", high), ("open", open_), ("close", close)):
        if price <= 0:
            raise MalformedData(product, ENDPOINT, f"{where}.{name}", f"{price} on {day}")
    if volume < 0 or not low <= min(open_, close) <= max(open_, close) <= high:
        problem = f"low {low}, high {high}, open {open_}, close {close}, volume {volume} on {day}"
        raise MalformedData(product, ENDPOINT, where, f"not a candle: {problem}")
    return Candle(day, open_, high, low, close, volume)


def _number(value: object, field: str, product: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise MalformedData(product, ENDPOINT, field, f"{value!r} is not a number")
    fitted = exact_for_lake(value)
    if fitted is None:
        raise MalformedData(product, ENDPOINT, field, f"{value} does not fit {LAKE_TYPE} exactly")
    return fitted


def exact_for_lake(value: Decimal) -> Decimal | None:
    """`value` as the lake stores it (DECIMAL(38,10)), or None when it would not be exact:
    more than 28 digits before the point, or a digit beyond the tenth place."""
    if not value.is_finite() or value.adjusted() >= INTEGER_DIGITS:
        return None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number's
    if -exponent <= PLACES:
        return value
    with localcontext() as context:  # room for every digit the lake holds, and two more
        context.prec = INTEGER_DIGITS + PLACES + 2
        fitted = value.quantize(STEP)
    return fitted if fitted == value else None
