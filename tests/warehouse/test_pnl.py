"""`daily_pnl` on hand-written prices, tariffs and power draws: every figure written out here,
worked by hand (docs/pnl.md): energy, costs, shared fixed costs, profit and its running sum,
hashprices and break-even prices, and NULL wherever an input is missing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from poolbooks.warehouse.cost_settings import AccountPower, CostSettings, FixedCost, Tariff
from tests.warehouse.handlake import Day, HandLake, Price

JAN = {day: date(2026, 1, day) for day in range(1, 6)}
TODAY = date(2026, 3, 1)  # the provisional row, fetched on its own day (HandLake's T0)
COSTS = CostSettings(
    electricity=(
        Tariff(JAN[2], Decimal("0.08")),  # 2026-01-01 has no tariff yet
        Tariff(JAN[3], Decimal("0.1125")),  # a change mid-month
    ),
    fixed=(FixedCost(JAN[1], Decimal("310")),),  # January: 10.00 a day for the farm
    power={
        "watts": AccountPower(power_watts=Decimal("3250")),  # 78 kWh a day
        "joules": AccountPower(efficiency_j_per_th=Decimal("21.5")),
    },  # "bare" gives no power draw
)
COLUMNS = (
    "earnings_value, hashrate_hs, energy_kwh, price_per_kwh, energy_cost, fixed_cost, "
    "total_cost, profit, cumulative_profit, cumulative_profit_days, realised_hashprice, "
    "network_hashprice, breakeven_price, breakeven_power_price"
)


def money(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@pytest.fixture(scope="module")
def pnl(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, date], dict[str, Any]]:
    lake = HandLake(tmp_path_factory.mktemp("pnl"), costs=COSTS)
    lake.observe(
        "watts",
        [
            Day(JAN[1], 100_000),
            Day(JAN[2], 100_000),
            Day(JAN[3], 123_456),
            Day(JAN[4], 100_000),  # no price that day
            Day(JAN[5], 50_000, diff=1.2e14),
            Day(TODAY, 0),  # provisional: not in daily_pnl
        ],
    )
    lake.observe("joules", [Day(JAN[1], 60_000), Day(JAN[2], 60_000), Day(JAN[3], 60_000)])
    lake.observe("bare", [Day(JAN[1], 1_000), Day(JAN[2], 1_000), Day(JAN[3], 1_000)])
    for hour, rate in ((3, 9.0e13), (15, 1.1e14)):  # 2026-01-02 only: a mean of 100 TH/s
        at = datetime(2026, 1, 2, hour, tzinfo=UTC)
        lake.snapshot("hashrate", "joules", at=at, shares_15m_hs=rate)
    lake.prices(
        [
            Price(JAN[1], "60000"),
            Price(JAN[2], "60000"),
            Price(JAN[3], "61234.56"),
            Price(JAN[5], "58000"),
        ]
    )
    report = lake.build()
    assert report.published and report.failed_tests == []
    rows = lake.query(f"select account, date, {COLUMNS} from daily_pnl order by account, date")
    names = [name.strip() for name in COLUMNS.split(",")]
    return {(row[0], row[1]): dict(zip(names, row[2:], strict=True)) for row in rows}


def test_a_day_of_constant_power_under_a_tariff(pnl: dict[Any, dict[str, Any]]) -> None:
    day = pnl[("watts", JAN[2])]
    assert day["earnings_value"] == Decimal("60.00")  # 100,000 sat at 60,000
    assert day["energy_kwh"] == Decimal("78")  # 3250 W * 24 h / 1000
    assert day["price_per_kwh"] == Decimal("0.08")
    assert day["energy_cost"] == Decimal("6.24")  # 78 * 0.08
    assert day["fixed_cost"] == Decimal("3.33")  # 310 / 31 days / 3 accounts = 3.333...
    assert day["total_cost"] == Decimal("9.57")
    assert day["profit"] == Decimal("50.43")  # 60.00 - 9.57
    assert day["breakeven_price"] == Decimal("9570.00")  # 9.57 / 0.001 BTC
    assert day["breakeven_power_price"] == Decimal("0.726538")  # (60.00 - 3.33) / 78
    assert day["network_hashprice"] == Decimal("0.037719")
    assert day["hashrate_hs"] is None and day["realised_hashprice"] is None


def test_a_tariff_changed_mid_month_applies_from_its_day(pnl: dict[Any, dict[str, Any]]) -> None:
    day = pnl[("watts", JAN[3])]
    assert day["price_per_kwh"] == Decimal("0.1125")
    assert day["energy_cost"] == Decimal("8.78")  # 78 * 0.1125 = 8.775, half away from zero
    assert day["earnings_value"] == Decimal("75.60")  # 123,456 sat at 61,234.56 = 75.5977...
    assert day["total_cost"] == Decimal("12.11")  # 8.78 + 3.33
    assert day["profit"] == Decimal("63.49")
    assert day["breakeven_price"] == Decimal("9809.16")  # 12.11 / 0.00123456 = 9809.1628...
    assert day["breakeven_power_price"] == Decimal("0.926538")  # 72.27 / 78 = 0.9265384...
    assert day["network_hashprice"] == Decimal("0.038495")  # 62.86427379 sat at 61,234.56


def test_energy_follows_the_measured_hashrate_for_an_efficiency(
    pnl: dict[Any, dict[str, Any]],
) -> None:
    day = pnl[("joules", JAN[2])]
    assert day["hashrate_hs"] == 1.0e14  # the mean of 90 and 110 TH/s
    assert day["energy_kwh"] == Decimal("51.6")  # 21.5 J/TH * 100 TH/s * 86400 s / 3.6e6
    assert day["energy_cost"] == Decimal("4.13")  # 51.6 * 0.08 = 4.128
    assert day["total_cost"] == Decimal("7.46")  # 4.13 + 3.33
    assert day["earnings_value"] == Decimal("36.00")  # 60,000 sat at 60,000
    assert day["profit"] == Decimal("28.54")
    assert day["realised_hashprice"] == Decimal("0.36")  # 36.00 / 100 TH/s
    assert day["breakeven_price"] == Decimal("12433.33")  # 7.46 / 0.0006 BTC
    assert day["breakeven_power_price"] == Decimal("0.633140")  # (36.00 - 3.33) / 51.6


def test_a_day_without_hashrate_has_no_energy_for_an_efficiency(
    pnl: dict[Any, dict[str, Any]],
) -> None:
    day = pnl[("joules", JAN[3])]
    assert day["earnings_value"] == Decimal("36.74")  # valued all the same
    assert day["fixed_cost"] == Decimal("3.33")  # and it still takes its share
    for figure in (
        "hashrate_hs",
        "energy_kwh",
        "energy_cost",
        "total_cost",
        "profit",
        "cumulative_profit",
        "realised_hashprice",
        "breakeven_price",
        "breakeven_power_price",
        "cumulative_profit_days",
    ):
        assert day[figure] is None, figure


def test_an_account_without_a_power_draw_has_no_costs(pnl: dict[Any, dict[str, Any]]) -> None:
    day = pnl[("bare", JAN[2])]
    assert (day["energy_kwh"], day["energy_cost"], day["total_cost"], day["profit"]) == (
        None,
        None,
        None,
        None,
    )
    assert day["earnings_value"] == Decimal("0.60") and day["fixed_cost"] == Decimal("3.33")


def test_a_day_before_the_first_tariff_has_no_cost_but_a_break_even_tariff(
    pnl: dict[Any, dict[str, Any]],
) -> None:
    day = pnl[("watts", JAN[1])]
    assert day["energy_kwh"] == Decimal("78") and day["price_per_kwh"] is None
    for figure in (
        "energy_cost",
        "total_cost",
        "profit",
        "cumulative_profit",
        "cumulative_profit_days",
        "breakeven_price",
    ):
        assert day[figure] is None, figure
    assert day["breakeven_power_price"] == Decimal("0.726538")  # needs no tariff


def test_a_day_without_a_price_has_costs_but_no_profit(pnl: dict[Any, dict[str, Any]]) -> None:
    day = pnl[("watts", JAN[4])]
    assert day["earnings_value"] is None and day["network_hashprice"] is None
    assert day["fixed_cost"] == Decimal("10.00")  # alone that day: 310 / 31 / 1
    assert day["total_cost"] == Decimal("18.78")  # 8.78 + 10.00
    assert day["profit"] is None and day["cumulative_profit"] is None
    assert day["breakeven_price"] == Decimal("18780.00")  # 18.78 / 0.001 BTC: no price needed
    assert day["breakeven_power_price"] is None


def test_cumulative_profit_adds_the_days_that_have_one(pnl: dict[Any, dict[str, Any]]) -> None:
    watts = [pnl[("watts", JAN[n])] for n in range(1, 6)]
    assert [d["cumulative_profit"] for d in watts] == [
        None,  # no tariff
        money("50.43"),
        money("113.92"),  # 50.43 + 63.49
        None,  # no price
        money("124.14"),  # + 10.22 (29.00 - 8.78 - 10.00)
    ]
    assert [d["cumulative_profit_days"] for d in watts] == [None, 1, 2, None, 3]
    assert watts[4]["network_hashprice"] == Decimal("0.030384")  # difficulty 1.2e14 at 58,000
    assert watts[4]["breakeven_power_price"] == Decimal("0.243590")  # (29.00 - 10.00) / 78


def test_the_provisional_row_is_left_out(pnl: dict[Any, dict[str, Any]]) -> None:
    assert ("watts", TODAY) not in pnl
    assert len(pnl) == 5 + 3 + 3


def test_fixed_shares_are_rounded_each_to_the_cent(tmp_path: Path) -> None:
    november = date(2025, 11, 1)  # 30 days: 300 a month is 10.00 a day, over 7 accounts
    lake = HandLake(tmp_path, costs=CostSettings(fixed=(FixedCost(november, Decimal("300")),)))
    for n in range(7):
        lake.observe(f"a{n}", [Day(november, 1_000)])
    assert lake.build().published
    ((shares, total),) = lake.query(
        "select list(distinct fixed_cost), sum(fixed_cost) from daily_pnl"
    )
    assert (shares, total) == ([Decimal("1.43")], Decimal("10.01"))  # 10 / 7 = 1.428...


def test_without_costs_each_day_is_valued_and_costs_nothing_it_does_not_know(
    tmp_path: Path,
) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(JAN[1], 100_000)])
    lake.prices([Price(JAN[1], "60000")])
    assert lake.build().published
    ((value, energy, tariff, fixed, total, profit),) = lake.query(
        "select earnings_value, energy_kwh, price_per_kwh, fixed_cost, total_cost, profit "
        "from daily_pnl"
    )
    assert (value, energy, tariff, fixed, total, profit) == (
        Decimal("60.00"),
        None,
        None,
        Decimal("0.00"),
        None,
        None,
    )
    assert lake.query("select count(*) from stg_electricity_tariff") == [(0,)]
