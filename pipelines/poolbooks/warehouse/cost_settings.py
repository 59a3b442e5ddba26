"""What the mining P&L needs of the configuration: each account's power draw (`[[accounts]]`),
the electricity tariff and the farm's fixed costs (`[costs]`), all exact decimals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The decimal places each figure may have: what the warehouse's columns hold exactly.
PLACES = {
    "power_watts": 3,
    "efficiency_j_per_th": 3,
    "price_per_kwh": 6,
    "per_month": 2,
}
# Each dated entry's keys: `from` (a Python keyword, so the field is `from_`) and its figure.
FROM_KEY = "from"


@dataclass(frozen=True)
class AccountPower:
    """An account's power draw, one of the two: constant watts, or joules per terahash of the
    day's measured hashrate (the mean of its snapshots)."""

    power_watts: Decimal | None = None
    efficiency_j_per_th: Decimal | None = None


@dataclass(frozen=True)
class Tariff:
    """`{ from = 2024-01-01, price_per_kwh = "0.08" }`: the price of a kWh from that day on."""

    from_: date
    price_per_kwh: Decimal


@dataclass(frozen=True)
class FixedCost:
    """`{ from = 2024-01-01, per_month = "300" }`: the farm's fixed costs per calendar month
    (hosting, rent) from that day on."""

    from_: date
    per_month: Decimal


@dataclass(frozen=True)
class CostSettings:
    """`[costs]`: the tariff and fixed costs (in the prices' currency), each a schedule in date
    order, and each account's power draw (from its `[[accounts]]` table)."""

    currency: str | None = None  # when given, it must be `[prices] currency`
    electricity: tuple[Tariff, ...] = ()
    fixed: tuple[FixedCost, ...] = ()
    power: Mapping[str, AccountPower] = field(default_factory=dict)  # account name -> draw
