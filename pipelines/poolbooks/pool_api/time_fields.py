"""Field parsers for dates and times of pool API bodies: YYYYMMDD days, zoned and unix times."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime, tzinfo

from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.number_fields import parse_number

_NAIVE_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def parse_day(value: object, field: str, where: Where) -> date:
    """A YYYYMMDD date, as an integer or a string."""
    if type(value) is int and 10000101 <= value <= 99991231:  # the usual case, first
        year, month_day = divmod(value, 10000)
        with contextlib.suppress(ValueError):
            return date(year, *divmod(month_day, 100))
    text = (
        str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    )
    if not re.fullmatch(r"\d{8}", text):
        where.fail(field, f"not a YYYYMMDD date: {value!r}")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        where.fail(field, f"not a valid date: {value!r}")


def parse_naive_time(value: object, field: str, where: Where, zone: tzinfo) -> datetime | None:
    """`"YYYY-MM-DD HH:MM:SS"` in the pool's zone, as UTC; `"0"`, `0` and `""` mean none."""
    if type(value) is str and _is_utc(zone) and _NAIVE_TIME.fullmatch(value):  # the usual case
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
    if value in (None, "", "0", 0):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_unix_time(value, field, where)
    if not isinstance(value, str):
        where.fail(field, f"not a time: {value!r}")
    text = value.strip()
    if text in ("", "0"):
        return None
    try:
        if _NAIVE_TIME.fullmatch(text) is None:
            raise ValueError(text)
        naive = datetime.fromisoformat(text)
    except ValueError:
        where.fail(field, f"not a 'YYYY-MM-DD HH:MM:SS' time: {value!r}")
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _is_utc(zone: tzinfo) -> bool:
    return zone is UTC or getattr(zone, "key", None) in ("UTC", "Etc/UTC")


def parse_unix_time(value: object, field: str, where: Where) -> datetime | None:
    """Unix seconds (number or string) as UTC; 0 means none."""
    if value in (None, "", "0", 0):
        return None
    number = parse_number(value, field, where)
    if number < 0 or number > 32503680000:  # year 3000
        where.fail(field, f"not a unix time: {value!r}")
    return datetime.fromtimestamp(number, UTC)
