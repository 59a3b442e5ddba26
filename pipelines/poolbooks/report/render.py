"""The report page: charts and tables in one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from poolbooks.exports.output import write_text_atomic
from poolbooks.report.charts import CHARTS
from poolbooks.report.data import ReportData, read_report_data

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("poolbooks.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
RECONCILIATION_COLUMNS = (
    "account",
    "coin",
    "status",
    "earned_sat",
    "paid_sat",
    "computed_unpaid_sat",
    "unpaid_diff_sat",
    "total_paid_diff_sat",
    "issue_count",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render_report(data: ReportData) -> str:
    rows = [
        [(column, _cell(row[column])) for column in RECONCILIATION_COLUMNS]
        for row in data.reconciliation.iter_rows(named=True)
    ]
    return _TEMPLATES.get_template("report.html.j2").render(
        built_at=f"{data.built_at:%Y-%m-%d %H:%M} UTC" if data.built_at else "(unknown)",
        accounts=data.accounts,
        accounts_total=data.all_accounts,
        reconciliation_columns=RECONCILIATION_COLUMNS,
        reconciliation_rows=rows,
        charts=[(key, title, draw(data)) for key, (title, draw) in CHARTS.items()],
        issues=list(data.issues.iter_rows(named=True)),
        issue_total=data.issue_total,
        onchain_checked=data.onchain_checked,
    )


def write_report(warehouse: Path, output: Path) -> int:
    """Write the report; returns its size in bytes."""
    html = render_report(read_report_data(warehouse))
    write_text_atomic(output, html)
    return len(html.encode())
