"""The report's charts as figures: settled days only, one coin per panel, one y-axis each,
the shared account colours, partial months hatched, readable difficulty units."""

from __future__ import annotations

from datetime import date
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from poolbooks.report.charts import CHARTS, earnings_per_day, earnings_per_month, network_difficulty
from poolbooks.report.data import ReportData, read_report_data
from poolbooks.report.palette import account_colours
from tests.report.lakes import COINS, LAST_SETTLED, two_coin_lake


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    lake = two_coin_lake(tmp_path_factory.mktemp("report-charts"))
    return read_report_data(lake.config.warehouse)


def day(number: float) -> date:
    return mdates.num2date(number).date()  # type: ignore[no-untyped-call,no-any-return]


def days(values: Any) -> list[date]:
    """A line's x data (dates, as drawn) as dates."""
    return [day(x) for x in mdates.date2num(values)]  # type: ignore[no-untyped-call]


def panels(figure: Figure) -> dict[str, list[tuple[str, str, list[date], list[float]]]]:
    """Each panel's series, by the coin its y label names: (label, colour, dates, values)."""
    found = {}
    for axis in figure.axes:
        coin = axis.get_ylabel().split()[0]
        found[coin] = [
            (
                str(line.get_label()),
                str(line.get_color()),
                days(line.get_xdata()),
                np.asarray(line.get_ydata(), dtype=float).tolist(),
            )
            for line in axis.get_lines()
        ]
    plt.close(figure)
    return found


def test_daily_lines_end_on_the_last_settled_day_not_the_provisional_zero(
    data: ReportData,
) -> None:
    lines = panels(earnings_per_day(data))
    assert set(lines) == {"BTC", "BCH"}
    for coin, series in lines.items():
        ((label, _, dates, values),) = series
        assert COINS[label] == coin  # a panel holds its coin's accounts only
        assert dates[-1] == LAST_SETTLED and values[-1] > 0


def test_accounts_have_the_shared_colours(data: ReportData) -> None:
    colours = account_colours(COINS)
    for series in panels(earnings_per_day(data)).values():
        for label, colour, _, _ in series:
            assert colour == colours[label]


def test_partial_months_are_hatched_and_lighter(data: ReportData) -> None:
    figure = earnings_per_month(data)
    for axis in figure.axes:
        bars = [p for p in axis.patches if isinstance(p, Rectangle)]
        by_month = {day(b.get_x() + b.get_width() / 2).month: b for b in bars}
        assert set(by_month) == {1, 2}
        full, partial = by_month[1], by_month[2]  # February: 02-03 is missing
        assert not full.get_hatch() and partial.get_hatch()
        assert sum(to_rgba(partial.get_facecolor())[:3]) > sum(to_rgba(full.get_facecolor())[:3])
        assert to_rgba(partial.get_edgecolor()) == to_rgba(full.get_facecolor())
        legend = axis.get_legend()
        assert legend is not None and "partial month" in [t.get_text() for t in legend.get_texts()]
    plt.close(figure)


def test_difficulty_reads_in_si_units_on_one_axis_per_panel(data: ReportData) -> None:
    figure = network_difficulty(data)
    figure.canvas.draw()
    for axis in figure.axes:
        labels = [t.get_text() for t in axis.get_yticklabels() if t.get_text()]
        assert labels and all(label.endswith(" T") for label in labels), labels
        assert "e" not in axis.yaxis.get_offset_text().get_text()
    plt.close(figure)


@pytest.mark.parametrize("key", list(CHARTS))
def test_every_chart_has_one_y_axis_per_panel(data: ReportData, key: str) -> None:
    figure = CHARTS[key][1](data)
    shared_x = [a for a in figure.axes if a.get_shared_x_axes().get_siblings(a) != [a]]
    assert shared_x == []  # no twinx: a second y-axis shares the x-axis
    plt.close(figure)
