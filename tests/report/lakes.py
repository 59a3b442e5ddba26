"""A hand-written two-coin lake for the report's tests: a BTC and a BCH account, two months,
with both coins' prices and the costs of mining them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from poolbooks.warehouse.cost_settings import AccountPower, CostSettings, FixedCost, Tariff
from tests.warehouse.handlake import Day, HandLake, Price

START = date(2026, 1, 1)
LAST_SETTLED = date(2026, 2, 28)
TODAY = date(2026, 3, 1)  # the pool's provisional row, seen on the day (HandLake's T0)
MISSING = date(2026, 2, 3)  # a missing day: a finding, and February a partial month
SCALE = {"main": 1, "bch": 40}
COINS = {"main": "BTC", "bch": "BCH"}
PRICE_DAYS = 52  # prices from START to 02-21: the last days of February have none
COSTS = CostSettings(
    electricity=(Tariff(START, Decimal("0.07")), Tariff(date(2026, 2, 1), Decimal("0.085"))),
    fixed=(FixedCost(START, Decimal("1500")),),
    power={
        "main": AccountPower(power_watts=Decimal("20000")),
        "bch": AccountPower(efficiency_j_per_th=Decimal("21.5")),
    },
)


def close(coin: str, day: date) -> str:
    """A wavy close: BTC about 60,000, BCH about 400."""
    i = (day - START).days
    return f"{60_000 + 1_500 * (i % 9):d}" if coin == "BTC" else f"{400 + 7 * (i % 11)}.50"


def earnings(account: str, day: date) -> int:
    return (900_000 + 7_000 * ((day - START).days % 5)) * SCALE[account]


def settled_days() -> list[date]:
    days = [START + timedelta(days=i) for i in range((LAST_SETTLED - START).days + 1)]
    return [d for d in days if d != MISSING]


def two_coin_lake(folder: Path) -> HandLake:
    """Built: settled days to LAST_SETTLED, the first 50 paid every three days, then TODAY's
    provisional row (0); hashrate snapshots on 02-14 to 02-20; both coins' closes for the first
    PRICE_DAYS days; a tariff that changes on 02-01 and fixed costs (COSTS)."""
    lake = HandLake(folder, costs=COSTS)
    for account, coin in COINS.items():
        days = []
        for day in settled_days():
            i = (day - START).days
            paid = i < 50
            days.append(
                Day(
                    day,
                    earnings(account, day),
                    paid=earnings(account, day) if paid else 0,
                    tx=f"{account}-{i // 3}" if paid else None,
                    paid_at=datetime(2026, 1, 1, 2, tzinfo=UTC) + timedelta(days=(i // 3) * 3 + 3),
                    address="3Pay",
                    diff=1.2e14 * (1 + i // 14 * 0.03),
                    rate=1.0 + (i % 7),
                )
            )
        days.append(Day(TODAY, 0, diff=1.3e14, rate=0.0))
        lake.observe(account, days, coin=coin)
        for day_of_month, hour in [(14 + n, 12) for n in range(6)] + [(20, 3), (20, 9), (20, 15)]:
            lake.snapshot(
                "hashrate",
                account,
                at=datetime(2026, 2, day_of_month, hour, tzinfo=UTC),
                shares_15m_hs=3.0e15 * SCALE[account],
            )
    lake.prices(
        [
            Price(START + timedelta(days=i), close(coin, START + timedelta(days=i)), coin=coin)
            for coin in COINS.values()
            for i in range(PRICE_DAYS)
        ]
    )
    lake.build()
    return lake
