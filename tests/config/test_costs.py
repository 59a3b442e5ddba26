"""`[costs]` and the accounts' power draws: exact decimals, dated schedules in order, and one
line naming the key and the entry (or the account) for each problem."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from poolbooks.config import ConfigError, load_config
from poolbooks.warehouse.cost_settings import AccountPower, FixedCost, Tariff

ACCOUNTS = """
[[accounts]]
name = "main"
puid = 1
access_key_env = "K1"
{main}

[[accounts]]
name = "bch"
puid = 2
access_key_env = "K2"
coin = "BCH"
{bch}
"""
COSTS = """
[costs]
electricity = [
    { from = 2024-01-01, price_per_kwh = "0.0825" },
    { from = 2024-06-15, price_per_kwh = 0.1 },
]
fixed = [{ from = 2024-01-01, per_month = 300 }, { from = "2025-01-01", per_month = "412.50" }]
"""
ENV = {"K1": "key-1", "K2": "key-2"}


def load(tmp_path: Path, text: str, main: str = "", bch: str = "") -> object:
    path = tmp_path / "poolbooks.toml"
    path.write_text(ACCOUNTS.format(main=main, bch=bch) + text)
    return load_config(path, ENV)


def error(tmp_path: Path, text: str, main: str = "", bch: str = "") -> str:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text, main, bch)
    return str(info.value)


def test_schedules_and_power_draws_are_read_as_exact_decimals(tmp_path: Path) -> None:
    config = load(tmp_path, COSTS, main="power_watts = 3250", bch='efficiency_j_per_th = "21.5"')
    costs = config.costs  # type: ignore[attr-defined]
    assert costs.electricity == (
        Tariff(date(2024, 1, 1), Decimal("0.0825")),
        Tariff(date(2024, 6, 15), Decimal("0.1")),  # a TOML number, never 0.1000000000000000055
    )
    assert costs.fixed == (
        FixedCost(date(2024, 1, 1), Decimal("300")),
        FixedCost(date(2025, 1, 1), Decimal("412.50")),
    )
    assert costs.power == {
        "main": AccountPower(power_watts=Decimal("3250")),
        "bch": AccountPower(efficiency_j_per_th=Decimal("21.5")),
    }
    assert str(costs.electricity[1].price_per_kwh) == "0.1"


def test_without_costs_there_is_no_schedule_and_no_power(tmp_path: Path) -> None:
    costs = load(tmp_path, "").costs  # type: ignore[attr-defined]
    assert (costs.electricity, costs.fixed, dict(costs.power)) == ((), (), {})


def test_other_tables_still_take_plain_numbers(tmp_path: Path) -> None:
    config = load(tmp_path, "[client]\nrequests_per_second = 2.5\n")
    assert config.client.requests_per_second == 2.5  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("main", "message"),
    [
        (
            "power_watts = 3250\nefficiency_j_per_th = 21.5",
            "account 'main': power_watts, efficiency_j_per_th: give one, not both",
        ),
        ("power_watts = -3", "account 'main': power_watts: -3 is negative"),
        ("power_watts = 0", "account 'main': power_watts: must be above zero"),
        ('efficiency_j_per_th = "abc"', "account 'main': efficiency_j_per_th: not a decimal"),
        ("power_watts = 1.0005", "account 'main': power_watts: 1.0005 has more than 3 decimal"),
        ("power_wats = 1", "account 'main': power_wats: unknown field; did you mean power_watts?"),
    ],
)
def test_a_bad_power_draw_names_the_account_and_key(
    tmp_path: Path, main: str, message: str
) -> None:
    assert message in error(tmp_path, "", main=main)


@pytest.mark.parametrize(
    ("costs", "message"),
    [
        (
            'electricity = [{ from = 2024-01-01, price_per_kwh = "-0.01" }]',
            "[costs] electricity entry 1 (from 2024-01-01) price_per_kwh: -0.01 is negative",
        ),
        (
            'fixed = [{ from = 2024-01-01, per_month = "300" }, '
            '{ from = 2023-12-01, per_month = "310" }]',
            "[costs] fixed entry 2 from: 2023-12-01 is not after the entry before it "
            "(2024-01-01): give the entries in date order, each date once",
        ),
        (
            'electricity = [{ from = 2024-01-01, price_per_kwh = "0.08" }, '
            '{ from = 2024-01-01, price_per_kwh = "0.09" }]',
            "[costs] electricity entry 2 from: 2024-01-01 is not after the entry before it",
        ),
        (
            'electricity = [{ from = 2024-01-01, price_per_kwh = "0.0000001" }]',
            "price_per_kwh: 1E-7 has more than 6 decimal places",
        ),
        (
            'fixed = [{ from = 2024-01-01, per_month = "1.005" }]',
            "[costs] fixed entry 1 (from 2024-01-01) per_month: 1.005 has more than 2 decimal",
        ),
        (
            'electricity = [{ from = 2024-01-01, price_per_kw = "0.08" }]',
            "[costs] electricity entry 1 price_per_kw: unknown field; did you mean price_per_kwh?",
        ),
        (
            "electricity = [{ from = 2024-01-01 }]",
            "[costs] electricity entry 1 price_per_kwh: missing",
        ),
        (
            'electricity = [{ from = "soon", price_per_kwh = "0.08" }]',
            "[costs] electricity entry 1 from: not a date: 'soon' (YYYY-MM-DD)",
        ),
        ('electricity = "0.08"', "[costs] electricity: must be a list of entries such as"),
        (
            'currency = "EUR"',
            "[costs] currency: EUR, but values are in USD ([prices] currency)",
        ),
        ("tarif = 1", "[costs] tarif: unknown field"),
    ],
)
def test_a_bad_schedule_names_the_key_and_the_entry(
    tmp_path: Path, costs: str, message: str
) -> None:
    assert message in error(tmp_path, "[costs]\n" + costs + "\n")


def test_the_costs_currency_may_repeat_the_prices_currency(tmp_path: Path) -> None:
    config = load(tmp_path, '[prices]\ncurrency = "eur"\n\n[costs]\ncurrency = "EUR"\n')
    assert config.costs.currency == "EUR"  # type: ignore[attr-defined]


def test_docs_describe_each_entry_key() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text()
    section = text.split("## `[costs]`", 1)[1].split("\n## ", 1)[0]
    for key in ("from", "price_per_kwh", "per_month"):
        assert f"`{key}`" in section, key
