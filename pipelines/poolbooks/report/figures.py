"""The report's figure frame: panel sizes, fixed margins, date axes, legends, inline SVG."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

WIDTH, PANEL_HEIGHT = 10.0, 2.8  # inches; every chart is as wide, so their time axes line up
LEFT, RIGHT = 0.8, 2.0  # inches kept for the y labels and for the legend beside the plot
TOP, BOTTOM, GAP = 0.15, 0.45, 0.55
_chart_ids = itertools.count()


def figure(rows: int = 1) -> tuple[Figure, list[Axes]]:
    """A figure of `rows` panels, each with its own single y-axis, at fixed margins."""
    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.grid": True})
    height = TOP + BOTTOM + rows * PANEL_HEIGHT + (rows - 1) * GAP
    fig, axes = plt.subplots(rows, 1, figsize=(WIDTH, height), squeeze=False)
    fig.subplots_adjust(
        left=LEFT / WIDTH,
        right=1 - RIGHT / WIDTH,
        top=1 - TOP / height,
        bottom=BOTTOM / height,
        hspace=GAP / PANEL_HEIGHT,
    )
    for axis in axes[:, 0]:
        axis.grid(color="#e4e4e4", lw=0.6)
        axis.set_axisbelow(True)
    return fig, [row[0] for row in axes]


def empty(message: str) -> Figure:
    fig, (axis,) = figure()
    axis.text(0.5, 0.5, message, ha="center", va="center", transform=axis.transAxes)
    axis.set_axis_off()
    return fig


def date_axis(axis: Axes, first: date | None, last: date | None) -> None:
    """Concise date ticks over the data's whole span, the same on every time chart."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    axis.xaxis.set_major_locator(locator)
    concise = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    axis.xaxis.set_major_formatter(concise)
    if first is not None and last is not None:
        margin = timedelta(days=max(1, (last - first).days // 50))
        axis.set_xlim(first - margin, last + margin)  # type: ignore[arg-type]


def legend(axis: Axes, extra: list[Artist] | None = None) -> None:
    """The legend beside the plot, where it hides no point."""
    handles, labels = axis.get_legend_handles_labels()
    for artist in extra or []:
        handles.append(artist)
        labels.append(str(artist.get_label()))
    axis.legend(
        handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False
    )


def lighter(colour: str) -> tuple[float, float, float]:
    """The colour a third as strong on white, opaque: SVG draws a hatch over an opaque fill only
    (with a translucent one its pattern's background is the full colour)."""
    red, green, blue, _ = to_rgba(colour)
    return (1 - (1 - red) / 3, 1 - (1 - green) / 3, 1 - (1 - blue) / 3)


def to_svg(fig: Figure) -> str:
    """The figure as an `<svg>` element, ids salted so that several can share one page."""
    plt.rcParams["svg.hashsalt"] = f"poolbooks-{next(_chart_ids)}"
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]
