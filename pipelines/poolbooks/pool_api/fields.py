"""Field parsers for objects and text in pool API bodies: addresses, txids, extra fields."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from poolbooks.pool_api.envelope import Where

ADDRESS = re.compile(r"^[A-Za-z0-9:]{1,128}$")
TXID = re.compile(r"^[A-Za-z0-9]{1,128}$")


def extra_fields(obj: Mapping[str, Any], known: frozenset[str]) -> str | None:
    """Fields the API documents nowhere, kept as sorted JSON instead of being dropped."""
    extra = {k: v for k, v in obj.items() if k not in known}
    return json.dumps(extra, sort_keys=True, ensure_ascii=False) if extra else None


def parse_object(value: object, field: str, where: Where) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        found = "null" if value is None else type(value).__name__
        where.fail(field, f"expected an object, got {found}")
    return value


def parse_optional_text(value: object, field: str, where: Where) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        where.fail(field, f"not text: {value!r}")
    text = str(value).strip()
    return text or None


def parse_token(value: object, field: str, where: Where, pattern: re.Pattern[str]) -> str | None:
    """An address or txid: stray whitespace stripped, `""` as None, anything odd refused."""
    if value is None:
        return None
    if not isinstance(value, str):
        where.fail(field, f"not text: {value!r}")
    text = value.strip()
    if not text:
        return None
    if pattern.fullmatch(text) is None:
        where.fail(field, f"not a valid value: {text[:80]!r}")
    return text
