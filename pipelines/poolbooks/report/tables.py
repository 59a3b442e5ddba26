"""The report's tables as rows of text cells: amounts exact, in whole coins of the row's coin."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from poolbooks.report.data import ReportData

COIN_PLACES = Decimal("0.00000001")


@dataclass(frozen=True)
class Column:
    source: str  # the warehouse column, shown as the header's tooltip
    header: str
    kind: str = "text"  # text, number, coins, money or status


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: list[list[tuple[Column, str]]]


RECONCILIATION = (
    Column("account", "Account"),
    Column("coin", "Coin"),
    Column("status", "Status", "status"),
    Column("last_date", "Settled through"),
    Column("earned_sat", "Earned", "coins"),
    Column("paid_sat", "Paid", "coins"),
    Column("computed_unpaid_sat", "Unpaid", "coins"),
    Column("unpaid_diff_sat", "Unpaid: pool minus ours", "coins"),
    Column("total_paid_diff_sat", "Total paid: pool minus ours", "coins"),
    Column("issue_count", "Findings", "number"),
)

YEARLY = (
    Column("year", "Year"),
    Column("coin", "Coin"),
    Column("accounts", "Accounts", "number"),
    Column("first_date", "From"),
    Column("last_date", "To"),
    Column("days", "Settled days", "number"),
    Column("earned_sat", "Earned", "coins"),
    Column("payouts", "Payouts", "number"),
    Column("paid_sat", "Paid out", "coins"),
)


PNL_ACCOUNTS = (
    Column("account", "Account"),
    Column("coin", "Coin"),
    Column("days", "Settled days", "number"),
    Column("costed_days", "Days with a profit", "number"),
    Column("first_date", "From"),
    Column("last_date", "To"),
    Column("revenue", "Revenue", "money"),
    Column("energy_cost", "Energy", "money"),
    Column("fixed_cost", "Fixed", "money"),
    Column("profit", "Profit", "money"),
)


def money(amount: Decimal, currency: str) -> str:
    """An exact amount to the cent with its currency: Decimal('-1234.5') -> '-1,234.50 USD'."""
    return f"{amount:,.2f} {currency}"


def coins(sat: int, coin: str) -> str:
    """Satoshi as whole coins, exactly, with the coin's name: 1234567 BTC -> '0.01234567 BTC'."""
    return f"{(Decimal(sat) * COIN_PLACES).quantize(COIN_PLACES):,f} {coin}"


def _cell(column: Column, row: dict[str, Any]) -> str:
    value = row[column.source]
    if value is None:
        return ""
    if column.kind == "coins":
        return coins(int(value), row["coin"])
    if column.kind == "money":
        return money(Decimal(value), row["price_currency"])
    if column.kind == "number":
        return f"{value:,}"
    return str(value)


def table(columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> Table:
    return Table(columns, [[(c, _cell(c, row)) for c in columns] for row in rows])


def reconciliation_table(data: ReportData) -> Table:
    return table(RECONCILIATION, list(data.reconciliation.iter_rows(named=True)))


def yearly_table(data: ReportData) -> Table:
    return table(YEARLY, list(data.yearly.iter_rows(named=True)))


def pnl_table(data: ReportData) -> Table:
    """Each account's revenue, costs and profit over its days that have a profit."""
    return table(PNL_ACCOUNTS, list(data.pnl.accounts.iter_rows(named=True)))


def findings(data: ReportData) -> list[dict[str, Any]]:
    """The listed findings, their amounts in coins of the finding's coin."""
    return [
        {
            **issue,
            **{
                key: coins(issue[key], issue["coin"]) if issue[key] is not None else ""
                for key in ("expected_sat", "actual_sat")
            },
        }
        for issue in data.issues.iter_rows(named=True)
    ]
