"""Reading the reconciliation back: per account, its status, differences and findings by kind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from poolbooks.warehouse.connection import connect_read_only


@dataclass(frozen=True)
class AccountReconciliation:
    account: str
    coin: str
    status: str
    earned_sat: int
    paid_sat: int
    unpaid_diff_sat: int | None
    total_paid_diff_sat: int | None
    issue_count: int
    kinds: dict[str, int]


def reconciliation_summary(warehouse: Path) -> list[AccountReconciliation]:
    with connect_read_only(warehouse) as con:
        kinds: dict[tuple[str, str], dict[str, int]] = {}
        for account, coin, kind, count in con.execute(
            "select account, coin, kind, count(*) from reconciliation_issues "
            "group by all order by all"
        ).fetchall():
            kinds.setdefault((account, coin), {})[kind] = count
        rows = con.execute(
            "select account, coin, status, earned_sat, paid_sat, unpaid_diff_sat, "
            "total_paid_diff_sat, issue_count from payout_reconciliation order by account, coin"
        ).fetchall()
    return [
        AccountReconciliation(*row, kinds=kinds.get((row[0], row[1]), {}))  # type: ignore[misc]
        for row in rows
    ]
