"""The order a pool serves earn-history rows in, detected from the dates it serves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from itertools import pairwise


class Order(StrEnum):
    """The order a pool serves earn-history rows in; it is not documented, so it is detected."""

    NEWEST_FIRST = "newest_first"
    OLDEST_FIRST = "oldest_first"
    UNORDERED = "unordered"
    UNKNOWN = "unknown"


def detect_order(dates: Sequence[date]) -> Order:
    """Order of dates as served: falling, rising, neither, or too few distinct dates to tell.
    A day paid in several payments is several rows with one date, so equal neighbours are in
    order either way."""
    pairs = [(a, b) for a, b in pairwise(dates) if a != b]
    if not pairs:
        return Order.UNKNOWN
    if all(a > b for a, b in pairs):
        return Order.NEWEST_FIRST
    if all(a < b for a, b in pairs):
        return Order.OLDEST_FIRST
    return Order.UNORDERED
