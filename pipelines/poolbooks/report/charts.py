"""The report's charts, drawn with matplotlib as inline SVG (no script, no network)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from datetime import timedelta

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from poolbooks.report.data import ReportData

SAT = 1e8
WIDTH, HEIGHT = 9.0, 3.4
_chart_ids = itertools.count()


def to_svg(figure: Figure) -> str:
    """The figure as an `<svg>` element, ids salted so that several can share one page."""
    plt.rcParams["svg.hashsalt"] = f"poolbooks-{next(_chart_ids)}"
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figure(rows: int = 1) -> tuple[Figure, list[Axes]]:
    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.grid": True})
    figure, axes = plt.subplots(rows, 1, figsize=(WIDTH, HEIGHT * rows), squeeze=False)
    return figure, [row[0] for row in axes]


def _empty(message: str) -> str:
    figure, (axis,) = _figure()
    axis.text(0.5, 0.5, message, ha="center", va="center", transform=axis.transAxes)
    axis.set_axis_off()
    return to_svg(figure)


def _per_account(data: ReportData, frame: pl.DataFrame) -> list[tuple[str, pl.DataFrame]]:
    return [(a, frame.filter(pl.col("account") == a)) for a in data.accounts]


def _coins(frame: pl.DataFrame) -> list[str]:
    return sorted(frame["coin"].unique().to_list())


def _per_coin(
    data: ReportData,
    frame: pl.DataFrame,
    draw: Callable[[Axes, str, pl.DataFrame], None],
    ylabel: str,
) -> str:
    """One panel per coin (BTC and BCH amounts never share an axis), a series per account."""
    coins = _coins(frame)
    figure, axes = _figure(len(coins))
    for axis, coin in zip(axes, coins, strict=True):
        for account, rows in _per_account(data, frame.filter(pl.col("coin") == coin)):
            if rows.height:
                draw(axis, account, rows)
        axis.set_ylabel(f"{coin} {ylabel}")
        axis.legend(loc="upper left", fontsize=8)
    return to_svg(figure)


def earnings_per_day(data: ReportData) -> str:
    if data.days.is_empty():
        return _empty("no earnings yet")

    def draw(axis: Axes, account: str, rows: pl.DataFrame) -> None:
        axis.plot(rows["date"], rows["earnings_sat"] / SAT, label=account, lw=1)

    return _per_coin(data, data.days, draw, "per day")


def earnings_per_month(data: ReportData) -> str:
    if data.days.is_empty():
        return _empty("no earnings yet")
    monthly = (
        data.days.with_columns(pl.col("date").dt.truncate("1mo").alias("month"))
        .group_by("account", "coin", "month")
        .agg(pl.col("earnings_sat").sum())
        .sort("month")
    )
    width = 24 / max(1, len(data.accounts))
    slots = {account: index for index, account in enumerate(data.accounts)}

    def draw(axis: Axes, account: str, rows: pl.DataFrame) -> None:
        offset = timedelta(days=(slots[account] - len(slots) / 2) * width)
        months = [month + offset for month in rows["month"].to_list()]
        axis.bar(months, rows["earnings_sat"] / SAT, width=width, label=account)

    return _per_coin(data, monthly, draw, "per month")


def earnings_against_difficulty(data: ReportData) -> str:
    if data.difficulty.is_empty():
        return _empty("no earnings yet")
    groups = _per_account(data, data.difficulty)
    figure, axes = _figure(len(groups))
    for axis, (account, rows) in zip(axes, groups, strict=True):
        axis.plot(
            rows["date"], rows["earnings_sat"] / SAT, lw=1, color="tab:blue", label="earnings"
        )
        axis.set_ylabel(f"{account}\ncoins/day", color="tab:blue")
        right = axis.twinx()
        right.plot(rows["date"], rows["difficulty"], lw=1, color="tab:red", label="difficulty")
        right.set_ylabel("difficulty", color="tab:red")
        right.grid(False)
        rate = rows.filter(pl.col("earnings_rate_pct").is_not_null())
        if rate.height:
            third = axis.twinx()
            third.spines["right"].set_position(("axes", 1.12))
            third.plot(rate["date"], rate["earnings_rate_pct"], lw=0.6, color="tab:gray", alpha=0.6)
            third.set_ylabel("earnings_rate %", color="tab:gray")
            third.grid(False)
    return to_svg(figure)


def efficiency(data: ReportData) -> str:
    """Earnings over expected PPS per day with hashrate snapshots, each account labelled with
    its payment mode (PPS sits a fee below 1, FPPS around or above it); the legend beside
    the plot, where it hides no point."""
    rows = data.difficulty.filter(pl.col("efficiency").is_not_null() & (pl.col("earnings_sat") > 0))
    if rows.is_empty():
        return _empty("no day has both earnings and hashrate snapshots yet")
    modes = dict(data.days.group_by("account").agg(pl.col("payment_mode").last()).iter_rows())
    figure, (axis,) = _figure()
    for account, part in _per_account(data, rows):
        if part.height:
            label = f"{account} ({modes[account]})" if modes.get(account) else account
            axis.plot(part["date"], part["efficiency"], marker="o", ms=3, lw=1, label=label)
    axis.axhline(1.0, color="black", lw=0.8, ls="--", label="expected PPS")
    axis.set_ylabel("earnings / expected PPS")
    axis.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return to_svg(figure)


def unpaid_balance(data: ReportData) -> str:
    if data.days.is_empty():
        return _empty("no earnings yet")

    def draw(axis: Axes, account: str, rows: pl.DataFrame) -> None:
        axis.step(rows["date"], rows["unpaid_balance_sat"] / SAT, where="post", lw=1, label=account)

    return _per_coin(data, data.days, draw, "unpaid")


def payouts_timeline(data: ReportData) -> str:
    if data.payouts.is_empty():
        return _empty("no payouts yet")

    def draw(axis: Axes, account: str, rows: pl.DataFrame) -> None:
        axis.scatter(rows["payment_time"], rows["paid_sat"] / SAT, s=8, label=account)

    return _per_coin(data, data.payouts, draw, "paid")


CHARTS: dict[str, tuple[str, Callable[[ReportData], str]]] = {
    "earnings-day": ("Earnings per day", earnings_per_day),
    "earnings-month": ("Earnings per month", earnings_per_month),
    "difficulty": ("Earnings and earnings_rate against difficulty", earnings_against_difficulty),
    "efficiency": ("Efficiency against expected PPS", efficiency),
    "unpaid": ("Unpaid balance over time", unpaid_balance),
    "payouts": ("Payouts", payouts_timeline),
}
