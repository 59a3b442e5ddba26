"""The report's P&L charts: cumulative profit, revenue against cost per month, realised against
network hashprice, break-even against market price; one idea and one y-axis each, amounts in
the prices' currency (drawn as floats; the tables keep them exact)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from poolbooks.report.charts import NETWORK_COLOUR, PARTIAL_MONTH
from poolbooks.report.data import ReportData
from poolbooks.report.figures import date_axis, empty, figure, legend, lighter

REVENUE_COLOUR = "#444444"  # what the month earned: the neutral of the reference lines
COST_COLOUR = "#d62728"  # what it cost: tab10's red, which no account wears
MARKET_COLOUR = "#000000"
BREAKEVEN_HEADROOM = 3.0  # the break-even axis stops at this many times the highest close


def _amounts(axis: Axes, currency: str, what: str) -> None:
    """A y-axis of amounts in the currency: thousands separated, its label naming the unit."""
    axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    axis.set_ylabel(f"{what}, {currency}")


def _floats(frame: pl.DataFrame, column: str) -> list[float]:
    return frame[column].cast(pl.Float64).to_list()


def _span(frame: pl.DataFrame) -> tuple[date, date]:
    return frame["date"].min(), frame["date"].max()  # type: ignore[return-value]


def cumulative_profit(data: ReportData) -> Figure:
    """Each account's running profit over its days that have one, from zero."""
    pnl = data.pnl
    rows = pnl.days.filter(pl.col("cumulative_profit").is_not_null())
    if rows.is_empty():
        return empty("no day has both a value and its costs")
    fig, (axis,) = figure()
    axis.axhline(0, color="#999999", lw=0.6)
    for account, part in data.per_account(rows):
        label = f"{account} ({part['coin'][0]})"
        settled = pnl.days.filter(pl.col("account") == account).height
        if part.height < settled:  # say when the sum covers only some of its days
            label += f": {part.height:,}/{settled:,} days"
        axis.step(
            part["date"],
            _floats(part, "cumulative_profit"),
            where="post",
            lw=1.2,
            color=data.colours[account],
            label=label,
        )
    _amounts(axis, pnl.currency, "cumulative profit")
    date_axis(axis, *_span(rows))
    legend(axis)
    return fig


def revenue_against_cost(data: ReportData) -> Figure:
    """Per month, the farm's revenue beside its cost, over the days that have a profit."""
    monthly = data.pnl.monthly
    if monthly.is_empty():
        return empty("no day has both a value and its costs")
    fig, (axis,) = figure()
    width = 12
    for offset, column, colour, label in (
        (-width / 2, "revenue", REVENUE_COLOUR, "revenue"),
        (width / 2, "cost", COST_COLOUR, "cost (energy and fixed)"),
    ):
        for partial in (False, True):
            bars = monthly.filter(pl.col("partial") == partial)
            axis.bar(
                [m + timedelta(days=15 + offset) for m in bars["month"].to_list()],
                _floats(bars, column),
                width=width,
                color=lighter(colour) if partial else colour,
                hatch="////" if partial else None,
                edgecolor=colour,
                linewidth=0.6 if partial else 0,
                label=None if partial else label,
            )
    _amounts(axis, data.pnl.currency, "per month")
    first, last = monthly["month"].min(), monthly["month"].max()
    date_axis(axis, first, last + timedelta(days=31))  # type: ignore[arg-type,operator]
    hatched = Patch(facecolor="white", edgecolor="#555555", hatch="////", label=PARTIAL_MONTH)
    legend(axis, [hatched] if monthly["partial"].any() else [])
    return fig


def _coin_daily(
    days: pl.DataFrame, coin: str, column: str, first: date, last: date
) -> pl.DataFrame:
    """A figure every account of a coin shares on a day (the close, the network's hashprice),
    once per day from `first` to `last`."""
    return (
        days.filter(
            pl.col("coin") == coin,
            pl.col(column).is_not_null(),
            pl.col("date").is_between(first, last),
        )
        .group_by("date")
        .agg(pl.col(column).first())
        .sort("date")
    )


def hashprice(data: ReportData) -> Figure:
    """Per coin, what a TH/s of each account earned a day against what the network paid one at
    PPS on the subsidy, over the days with a realised hashprice."""
    pnl = data.pnl
    realised = pnl.days.filter(pl.col("realised_hashprice").is_not_null())
    if realised.is_empty():
        return empty("no day has hashrate snapshots and a price: realised hashprice needs both")
    first, last = _span(realised)
    coins = sorted(realised["coin"].unique().to_list())
    fig, axes = figure(len(coins))
    for axis, coin in zip(axes, coins, strict=True):
        network = _coin_daily(pnl.days, coin, "network_hashprice", first, last)
        axis.plot(
            network["date"],
            _floats(network, "network_hashprice"),
            color=NETWORK_COLOUR,
            lw=1.2,
            dashes=(5, 2),
            label="network (PPS, subsidy)",
        )
        for account, part in data.per_account(realised.filter(pl.col("coin") == coin)):
            axis.plot(
                part["date"],
                _floats(part, "realised_hashprice"),
                marker="o",
                ms=3,
                lw=1,
                color=data.colours[account],
                label=account,
            )
        axis.set_ylim(bottom=0)
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.3f}"))
        axis.set_ylabel(f"{coin}: {pnl.currency}/TH/s/day")
        date_axis(axis, first, last)
        legend(axis)
    return fig


def breakeven(data: ReportData) -> Figure:
    """Per coin, the market's close against each account's break-even price: above the close,
    the day lost money."""
    pnl = data.pnl
    rows = pnl.days.filter(pl.col("breakeven_price").is_not_null())
    if rows.is_empty():
        return empty("no day has its costs")
    coins = sorted(rows["coin"].unique().to_list())
    first, last = _span(rows)
    fig, axes = figure(len(coins))
    for axis, coin in zip(axes, coins, strict=True):
        market = _coin_daily(pnl.days, coin, "price_close", first, last)
        for account, part in data.per_account(rows.filter(pl.col("coin") == coin)):
            axis.plot(
                part["date"],
                _floats(part, "breakeven_price"),
                lw=0.8,
                color=data.colours[account],
                label=f"{account} break-even",
            )
        axis.plot(
            market["date"],
            _floats(market, "price_close"),
            lw=1.4,
            color=MARKET_COLOUR,
            label="market price (close)",
        )
        if market.height:
            top = max(_floats(market, "price_close")) * BREAKEVEN_HEADROOM
            if max(_floats(rows.filter(pl.col("coin") == coin), "breakeven_price")) > top:
                axis.set_ylim(0, top)
                clipped = Line2D([], [], lw=0, label=f"(cut at {BREAKEVEN_HEADROOM:g} × the top)")
                legend(axis, [clipped])
            else:
                axis.set_ylim(bottom=0)
                legend(axis)
        else:
            legend(axis)
        _amounts(axis, pnl.currency, f"{coin} price")
        date_axis(axis, first, last)
    return fig


PNL_CHARTS: dict[str, tuple[str, Callable[[ReportData], Figure]]] = {
    "pnl-cumulative": ("Cumulative profit", cumulative_profit),
    "pnl-month": ("Revenue against cost per month", revenue_against_cost),
    "pnl-hashprice": ("Realised against network hashprice", hashprice),
    "pnl-breakeven": ("Break-even price against the market price", breakeven),
}
