"""The report page: charts and tables in one self-contained HTML file."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import markupsafe
import polars as pl

from poolbooks.exports.output import write_text_atomic
from poolbooks.report.charts import CHARTS
from poolbooks.report.data import ReportData, read_report_data
from poolbooks.report.figures import to_svg
from poolbooks.report.pnl_charts import PNL_CHARTS
from poolbooks.report.tables import findings, pnl_table, reconciliation_table, yearly_table

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("poolbooks.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
_CODE = re.compile(r"`([^`]+)`")


def md_code(text: str) -> markupsafe.Markup:
    """Text whose `backticked` parts become <code>, the rest escaped."""
    parts = _CODE.split(text)
    return markupsafe.Markup("").join(
        markupsafe.Markup("<code>{}</code>").format(part) if odd else part
        for odd, part in ((i % 2 == 1, p) for i, p in enumerate(parts))
    )


_TEMPLATES.filters["md_code"] = md_code


def _accounts_per_coin(data: ReportData) -> str:
    counts = data.reconciliation.group_by("coin").len().sort("coin")
    return ", ".join(f"{n} {coin}" for coin, n in counts.iter_rows())


def render_report(data: ReportData) -> str:
    charted_coins = data.days.select(pl.col("coin").n_unique()).item() if data.days.height else 0
    return _TEMPLATES.get_template("report.html.j2").render(
        built_at=f"{data.built_at:%Y-%m-%d %H:%M} UTC" if data.built_at else "(unknown)",
        first_date=data.first_date,
        last_date=data.last_date,
        accounts=data.accounts,
        accounts_total=data.all_accounts,
        accounts_per_coin=_accounts_per_coin(data),
        several_coins=charted_coins > 1,
        reconciliation=reconciliation_table(data),
        yearly=yearly_table(data),
        charts=[(key, title, to_svg(draw(data))) for key, (title, draw) in CHARTS.items()],
        issues=findings(data),
        issue_total=data.issue_total,
        onchain_checked=data.onchain_checked,
        pnl_missing=data.pnl.missing,
        pnl_currency=data.pnl.currency,
        pnl_accounts=pnl_table(data),
        pnl_charts=[]
        if data.pnl.missing
        else [(key, title, to_svg(draw(data))) for key, (title, draw) in PNL_CHARTS.items()],
    )


def write_report(warehouse: Path, output: Path) -> int:
    """Write the report; returns its size in bytes."""
    html = render_report(read_report_data(warehouse))
    write_text_atomic(output, html)
    return len(html.encode())
