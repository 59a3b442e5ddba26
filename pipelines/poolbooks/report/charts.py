"""The report's charts: one idea and one y-axis each, amounts per coin, settled days only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import EngFormatter

from poolbooks.report.data import ReportData
from poolbooks.report.figures import date_axis, empty, figure, legend, lighter

SAT = 100_000_000
PARTIAL_MONTH = "partial month"
NETWORK_COLOUR = "#444444"


def _coins(frame: pl.DataFrame) -> list[str]:
    return sorted(frame["coin"].unique().to_list())


def _per_coin(
    data: ReportData,
    frame: pl.DataFrame,
    draw: Callable[[Axes, str, pl.DataFrame], None],
    ylabel: str,
    span: tuple[date | None, date | None] | None = None,
) -> Figure:
    """One panel per coin (BTC and BCH amounts never share an axis), a series per account,
    over the data's whole span unless given another."""
    first, last = span or (data.first_date, data.last_date)
    coins = _coins(frame)
    fig, axes = figure(len(coins))
    for axis, coin in zip(axes, coins, strict=True):
        for account, rows in data.per_account(frame.filter(pl.col("coin") == coin)):
            draw(axis, account, rows)
        axis.set_ylabel(f"{coin} {ylabel}")
        date_axis(axis, first, last)
        legend(axis)
    return fig


def earnings_per_day(data: ReportData) -> Figure:
    if data.days.is_empty():
        return empty("no settled day yet")

    def draw(axis: Axes, account: str, rows: pl.DataFrame) -> None:
        coins = rows["earnings_coin"].cast(pl.Float64)  # drawn only: the table keeps exact sums
        axis.plot(rows["date"], coins, label=account, lw=0.8, color=data.colours[account])

    return _per_coin(data, data.days, draw, "per day")


def earnings_per_month(data: ReportData) -> Figure:
    """Bars per account side by side; a month its settled days do not fill is hatched."""
    if data.monthly.is_empty():
        return empty("no settled day yet")
    coins = _coins(data.monthly)
    fig, axes = figure(len(coins))
    for axis, coin in zip(axes, coins, strict=True):
        part = data.monthly.filter(pl.col("coin") == coin)
        shown = [a for a in data.accounts if a in set(part["account"].to_list())]
        width = 26 / len(shown)
        for slot, account in enumerate(shown):
            rows = part.filter(pl.col("account") == account)
            offset = timedelta(days=15 + (slot - len(shown) / 2 + 0.5) * width)
            colour = data.colours[account]
            for partial in (False, True):
                bars = rows.filter(pl.col("partial") == partial)
                axis.bar(
                    [month + offset for month in bars["month"].to_list()],
                    (bars["earnings_sat"] / SAT).to_list(),
                    width=width,
                    color=lighter(colour) if partial else colour,
                    hatch="////" if partial else None,
                    edgecolor=colour,
                    linewidth=0.6 if partial else 0,
                    label=None if partial else account,
                )
        axis.set_ylabel(f"{coin} per month")
        date_axis(axis, data.first_date, data.last_date)
        hatched = Patch(facecolor="white", edgecolor="#555555", hatch="////", label=PARTIAL_MONTH)
        legend(axis, [hatched] if part["partial"].any() else [])
    return fig


def network_difficulty(data: ReportData) -> Figure:
    if data.network.is_empty():
        return empty("no difficulty reported yet")
    coins = _coins(data.network)
    fig, axes = figure(len(coins))
    for axis, coin in zip(axes, coins, strict=True):
        rows = data.network.filter(pl.col("coin") == coin)
        axis.step(rows["date"], rows["difficulty"], where="post", lw=1, color=NETWORK_COLOUR)
        axis.yaxis.set_major_formatter(EngFormatter())
        axis.set_ylabel(f"{coin} network difficulty")
        date_axis(axis, data.first_date, data.last_date)
    return fig


def hashrate(data: ReportData) -> Figure:
    """The hashrate each day's earnings imply (pure PPS at that day's difficulty and subsidy),
    and the snapshots' measured mean where there is one. SHA-256 hashes are alike for every
    coin, so one axis holds all accounts."""
    rows = data.difficulty.filter(pl.col("implied_hashrate_hs").is_not_null())
    if rows.is_empty():
        return empty("no settled day with a difficulty yet")
    fig, (axis,) = figure()
    for account, part in data.per_account(rows):
        colour = data.colours[account]
        label = f"{account} ({part['coin'][0]})"
        axis.plot(part["date"], part["implied_hashrate_hs"], lw=0.8, color=colour, label=label)
        measured = part.filter(pl.col("hashrate_hs").is_not_null())
        axis.plot(measured["date"], measured["hashrate_hs"], "o", ms=3, color=colour)
    axis.yaxis.set_major_formatter(EngFormatter(unit="H/s", places=0))
    axis.set_ylim(bottom=0)
    axis.set_ylabel("hashrate")
    date_axis(axis, data.first_date, data.last_date)
    line = Line2D([], [], color="#555555", lw=0.8, label="implied by earnings")
    dot = Line2D([], [], color="#555555", marker="o", ms=3, lw=0, label="measured (snapshots)")
    legend(axis, [line, dot])
    return fig


def efficiency(data: ReportData) -> Figure:
    """Earnings over expected PPS per day with hashrate snapshots, each account labelled with
    its payment mode (PPS sits a fee below 1, FPPS around or above it)."""
    rows = data.difficulty.filter(pl.col("efficiency").is_not_null() & (pl.col("earnings_sat") > 0))
    if rows.is_empty():
        return empty("no day has both earnings and hashrate snapshots yet")
    modes = dict(data.days.group_by("account").agg(pl.col("payment_mode").last()).iter_rows())
    fig, (axis,) = figure()
    for account, part in data.per_account(rows):
        label = f"{account} ({modes[account]})" if modes.get(account) else account
        colour = data.colours[account]
        axis.plot(
            part["date"], part["efficiency"], marker="o", ms=3, lw=1, color=colour, label=label
        )
    axis.axhline(1.0, color="black", lw=0.8, ls="--", label="expected PPS")
    axis.set_ylabel("earnings / expected PPS")
    date_axis(axis, rows["date"].min(), rows["date"].max())  # type: ignore[arg-type]
    legend(axis)
    return fig


def unpaid_balance(data: ReportData) -> Figure:
    if data.unpaid.is_empty():
        return empty("no settled day yet")

    def draw(axis: Axes, account: str, rows: pl.DataFrame) -> None:
        unpaid = (rows["unpaid_sat"] / SAT).to_list()
        axis.axhline(0, color="#999999", lw=0.6)  # nothing owed, always in view
        axis.step(
            rows["date"], unpaid, where="post", lw=1, color=data.colours[account], label=account
        )

    return _per_coin(data, data.unpaid, draw, "unpaid", (data.unpaid["date"].min(), data.last_date))  # type: ignore[arg-type]


def payouts_timeline(data: ReportData) -> Figure:
    if data.payouts.is_empty():
        return empty("no payouts yet")

    def draw(axis: Axes, account: str, rows: pl.DataFrame) -> None:
        paid = (rows["paid_sat"] / SAT).to_list()
        axis.axhline(0, color="#999999", lw=0.6)  # amounts measured from zero
        axis.scatter(rows["payment_time"], paid, s=6, color=data.colours[account], label=account)

    return _per_coin(data, data.payouts, draw, "paid")


CHARTS: dict[str, tuple[str, Callable[[ReportData], Figure]]] = {
    "earnings-day": ("Earnings per day", earnings_per_day),
    "earnings-month": ("Earnings per month", earnings_per_month),
    "difficulty": ("Network difficulty", network_difficulty),
    "hashrate": ("Hashrate", hashrate),
    "efficiency": ("Efficiency against expected PPS", efficiency),
    "unpaid": ("Unpaid balance over time, the last 90 days", unpaid_balance),
    "payouts": ("Payouts", payouts_timeline),
}
