"""What the report shows, read once from the warehouse (read-only) as small Polars frames."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from poolbooks.warehouse.connection import connect_read_only

MAX_ACCOUNTS_CHARTED = 8
MAX_FINDINGS_LISTED = 300


@dataclass(frozen=True)
class ReportData:
    built_at: datetime | None
    accounts: list[str]  # charted accounts, biggest earners first
    all_accounts: int
    days: pl.DataFrame  # account, coin, date, earnings_sat, unpaid_balance_sat, difficulty, ...
    difficulty: pl.DataFrame  # earnings_vs_difficulty rows
    payouts: pl.DataFrame
    reconciliation: pl.DataFrame
    issues: pl.DataFrame
    issue_total: int
    onchain_checked: int  # payouts asked of Esplora (payout_onchain rows)


def read_report_data(warehouse: Path) -> ReportData:
    with connect_read_only(warehouse) as con:

        def frame(sql: str, **params: object) -> pl.DataFrame:
            result = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
            assert isinstance(result, pl.DataFrame)
            return result

        ((built_at,),) = con.execute("select max(built_at) from _poolbooks_build").fetchall()
        ranking = frame(
            "select account, coin, sum(earnings_sat) as earned from daily_earnings "
            "group by all order by earned desc, account"
        )
        accounts = ranking["account"].head(MAX_ACCOUNTS_CHARTED).to_list()
        days = frame(
            "select account, coin, date, earnings_sat, paid_amount_sat, unpaid_balance_sat, "
            "earnings_rate_pct, difficulty, payment_mode from daily_earnings "
            "where account in (select unnest($accounts)) order by account, date",
            accounts=accounts,
        )
        difficulty = frame(
            "select account, coin, date, difficulty, earnings_sat, earnings_rate_pct, "
            "expected_pps_sat, efficiency from earnings_vs_difficulty "
            "where account in (select unnest($accounts)) order by account, date",
            accounts=accounts,
        )
        payouts = frame(
            "select account, coin, payment_time, paid_sat, earning_days from payouts "
            "where account in (select unnest($accounts)) and payment_time is not null "
            "order by payment_time",
            accounts=accounts,
        )
        reconciliation = frame("select * from payout_reconciliation order by account, coin")
        issues = frame(
            "select account, coin, date, kind, payment_tx, expected_sat, actual_sat, detail "
            "from reconciliation_issues order by account, date, kind limit $limit",
            limit=MAX_FINDINGS_LISTED,
        )
        ((total,),) = con.execute("select count(*) from reconciliation_issues").fetchall()
        ((checked,),) = con.execute("select count(*) from payout_onchain").fetchall()
    return ReportData(
        built_at=built_at,
        accounts=accounts,
        all_accounts=ranking.height,
        days=days,
        difficulty=difficulty,
        payouts=payouts,
        reconciliation=reconciliation,
        issues=issues,
        issue_total=int(total),
        onchain_checked=int(checked),
    )
