"""What the report shows, settled days only, read once from the warehouse as small Polars frames."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from poolbooks.report.palette import ACCOUNTS_SQL, account_colours
from poolbooks.report.pnl_data import PnlData, read_pnl_data
from poolbooks.report.queries import MONTHLY_SQL, RANKING_SQL, UNPAID_SQL, YEARLY_SQL
from poolbooks.warehouse.connection import connect_read_only

MAX_ACCOUNTS_CHARTED = 8
MAX_FINDINGS_LISTED = 300
UNPAID_DAYS = 90  # the unpaid balance's span: long enough to see it build up and be paid


@dataclass(frozen=True)
class ReportData:
    built_at: datetime | None
    first_date: date | None  # the first settled day of any account
    last_date: date | None  # the last settled day of any account: what the data runs to
    accounts: list[str]  # charted accounts (the biggest earners of each coin), by name
    all_accounts: int
    colours: dict[str, str]  # every account's colour (palette.py), as the notebooks have them
    days: pl.DataFrame  # settled daily_earnings rows of the charted accounts
    monthly: pl.DataFrame  # account, coin, month, earnings_sat, days, partial
    difficulty: pl.DataFrame  # settled earnings_vs_difficulty rows of the charted accounts
    network: pl.DataFrame  # coin, date, difficulty (the median the accounts of a coin saw)
    payouts: pl.DataFrame
    unpaid: pl.DataFrame  # account, coin, date, unpaid_sat: owed at the end of the last days
    reconciliation: pl.DataFrame  # payout_reconciliation with each account's last settled day
    yearly: pl.DataFrame  # year, coin: accounts, days, first/last date, earned_sat, paid_sat
    issues: pl.DataFrame
    issue_total: int
    onchain_checked: int  # payouts asked of Esplora (payout_onchain rows)
    pnl: PnlData  # daily_pnl: the P&L section

    def per_account(self, frame: pl.DataFrame) -> Iterator[tuple[str, pl.DataFrame]]:
        """The charted accounts that have rows in `frame`, in the report's order, each with its
        rows: what every chart draws a series from."""
        for account in self.accounts:
            rows = frame.filter(pl.col("account") == account)
            if rows.height:
                yield account, rows


def _frame(con: duckdb.DuckDBPyConnection, sql: str, **params: object) -> pl.DataFrame:
    result = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    assert isinstance(result, pl.DataFrame)
    return result


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    ((count,),) = con.execute(sql).fetchall()
    return int(count)


def read_report_data(warehouse: Path) -> ReportData:
    with connect_read_only(warehouse) as con:

        def frame(sql: str, **params: object) -> pl.DataFrame:
            return _frame(con, sql, **params)

        ((built_at,),) = con.execute("select max(built_at) from _poolbooks_build").fetchall()
        ((first, last),) = con.execute(
            "select min(date), max(date) from daily_earnings where not provisional"
        ).fetchall()
        ranking = frame(RANKING_SQL)
        accounts = sorted(ranking["account"].head(MAX_ACCOUNTS_CHARTED).to_list())
        days = frame(
            "select account, coin, date, earnings_sat, earnings_coin, paid_amount_sat, "
            "unpaid_balance_sat, difficulty, payment_mode from daily_earnings "
            "where account in (select unnest($accounts)) and not provisional "
            "order by account, date",
            accounts=accounts,
        )
        difficulty = frame(
            "select account, coin, date, difficulty, earnings_sat, implied_hashrate_hs, "
            "hashrate_hs, expected_pps_sat, efficiency from earnings_vs_difficulty "
            "where account in (select unnest($accounts)) and not provisional "
            "order by account, date",
            accounts=accounts,
        )
        network = frame(
            "select coin, date, median(difficulty) as difficulty from daily_earnings "
            "where not provisional and difficulty > 0 group by all order by coin, date"
        )
        payouts = frame(
            "select account, coin, payment_time, paid_sat, earning_days from payouts "
            "where account in (select unnest($accounts)) and payment_time is not null "
            "order by payment_time",
            accounts=accounts,
        )
        reconciliation = frame(
            "select r.*, d.last_date from payout_reconciliation as r left join ("
            "select account, coin, max(date) as last_date from daily_earnings "
            "where not provisional group by all) as d using (account, coin) "
            "order by account, coin"
        )
        issues = frame(
            "select account, coin, date, kind, payment_tx, expected_sat, actual_sat, detail "
            "from reconciliation_issues order by account, date, kind limit $limit",
            limit=MAX_FINDINGS_LISTED,
        )
        return ReportData(
            built_at=built_at,
            first_date=first,
            last_date=last,
            accounts=accounts,
            all_accounts=ranking.height,
            colours=account_colours(frame(ACCOUNTS_SQL)["account"].to_list()),
            days=days,
            monthly=frame(MONTHLY_SQL, accounts=accounts),
            difficulty=difficulty,
            network=network,
            payouts=payouts,
            unpaid=frame(UNPAID_SQL, accounts=accounts, last=last, span=UNPAID_DAYS),
            reconciliation=reconciliation,
            yearly=frame(YEARLY_SQL),
            issues=issues,
            issue_total=_count(con, "select count(*) from reconciliation_issues"),
            onchain_checked=_count(con, "select count(*) from payout_onchain"),
            pnl=read_pnl_data(frame, con, accounts),
        )
