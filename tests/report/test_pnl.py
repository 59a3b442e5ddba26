"""The report's P&L section: sums that add up exactly, charts with one y-axis in the prices'
currency and the accounts' colours, and, with nothing to cost, what to configure instead."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from typer.testing import CliRunner

from poolbooks.cli import app
from poolbooks.report.data import ReportData, read_report_data
from poolbooks.report.palette import account_colours
from poolbooks.report.pnl_charts import PNL_CHARTS, breakeven, cumulative_profit
from poolbooks.report.pnl_data import NO_OVERLAP, NO_POWER, NO_PRICES, NO_TARIFF
from poolbooks.report.tables import money, pnl_table
from poolbooks.warehouse.cost_settings import AccountPower, CostSettings, Tariff
from tests.cli.test_warehouse_cli import config_file
from tests.report.lakes import COINS, close, two_coin_lake
from tests.warehouse.handlake import Day, HandLake, Price, days_from

JAN = date(2026, 1, 1)
MARKET = "market price (close)"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    lake = two_coin_lake(tmp_path_factory.mktemp("report-pnl"))
    return read_report_data(lake.config.warehouse)


def test_each_account_and_month_adds_up_exactly(data: ReportData) -> None:
    pnl = data.pnl
    assert pnl.missing == [] and pnl.currency == "USD"
    for row in pnl.accounts.iter_rows(named=True):
        assert row["revenue"] - row["energy_cost"] - row["fixed_cost"] == row["profit"]
        assert isinstance(row["profit"], Decimal)
    for row in pnl.monthly.iter_rows(named=True):
        assert row["revenue"] - row["cost"] == row["profit"]
    # January: every day has a price, a tariff and (main) a constant draw; February's prices
    # stop on the 21st, so it is partial
    assert pnl.monthly.select("month", "days", "partial").rows() == [
        (date(2026, 1, 1), 31, False),
        (date(2026, 2, 1), 20, True),  # 02-01..02-21 less 02-03, the missing day
    ]


def test_money_is_exact_with_its_currency_and_a_loss_is_marked(data: ReportData) -> None:
    assert money(Decimal("-1234.5"), "USD") == "-1,234.50 USD"
    cells = {
        row[0][1]: {column.source: value for column, value in row} for row in pnl_table(data).rows
    }
    assert set(cells) == set(COINS)
    assert cells["bch"]["profit"].startswith("-") and cells["bch"]["profit"].endswith(" USD")
    assert cells["main"]["costed_days"] == "51"  # 51 of its 58 settled days have a price


@pytest.mark.parametrize("key", list(PNL_CHARTS))
def test_each_chart_has_one_y_axis_in_the_currency(data: ReportData, key: str) -> None:
    figure = PNL_CHARTS[key][1](data)
    for axis in figure.axes:
        assert axis.get_shared_x_axes().get_siblings(axis) == [axis]  # no twinx
        assert "USD" in axis.get_ylabel()
    plt.close(figure)


def test_cumulative_profit_is_drawn_in_the_accounts_colours_and_says_its_days(
    data: ReportData,
) -> None:
    figure = cumulative_profit(data)
    (axis,) = figure.axes
    colours = account_colours(COINS)
    lines = {
        str(line.get_label()): line.get_color()
        for line in axis.get_lines()
        if not str(line.get_label()).startswith("_")  # the zero line
    }
    assert lines == {
        "bch (BCH): 7/58 days": colours["bch"],  # J/TH: snapshot days only
        "main (BTC): 51/58 days": colours["main"],  # the days with a price
    }
    plt.close(figure)


def test_break_even_is_drawn_per_coin_against_its_close(data: ReportData) -> None:
    figure = breakeven(data)
    panels = {axis.get_ylabel().split()[0]: axis for axis in figure.axes}
    assert set(panels) == {"BTC", "BCH"}
    for coin, axis in panels.items():
        (market,) = [line for line in axis.get_lines() if line.get_label() == MARKET]
        assert np.asarray(market.get_ydata(), dtype=float)[0] == float(close(coin, JAN))
    plt.close(figure)


def report_html(lake: HandLake, tmp_path: Path) -> str:
    lake.build()
    out = tmp_path / "report.html"
    args = ["report", "--config", str(config_file(lake)), "--output", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out.read_text()


def test_without_costs_the_section_says_what_to_configure_instead_of_charts(
    tmp_path: Path,
) -> None:
    lake = HandLake(tmp_path)
    lake.observe("main", days_from(JAN, [100_000, 100_000]))
    html = report_html(lake, tmp_path)
    section = html[html.index('id="pnl-missing"') :].split("</div>")[0]
    assert "<code>power_watts</code>" in section and "<code>[costs] electricity" in section
    assert "<code>poolbooks prices</code>" in section
    assert not [key for key in PNL_CHARTS if f'id="{key}"' in html]


def test_with_everything_but_an_overlap_it_says_what_a_day_needs(tmp_path: Path) -> None:
    costs = CostSettings(
        electricity=(Tariff(date(2026, 6, 1), Decimal("0.08")),),  # after the days mined
        power={"main": AccountPower(power_watts=Decimal("3250"))},
    )
    lake = HandLake(tmp_path, costs=costs)
    lake.observe("main", [Day(JAN, 100_000)])
    lake.prices([Price(JAN, "60000")])
    lake.build()
    missing = read_report_data(lake.config.warehouse).pnl.missing
    assert missing == [NO_OVERLAP]
    assert {NO_POWER, NO_TARIFF, NO_PRICES}.isdisjoint(missing)
