"""One colour per account, the same in the report and in every notebook."""

from __future__ import annotations

from collections.abc import Iterable

# Matplotlib's tab10 without its red and grey (kept for warnings and reference lines), then two
# darker hues: ten colours that stay apart on white.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
)

# The accounts the colours are assigned over: every account with history in the warehouse.
ACCOUNTS_SQL = "select distinct account from daily_earnings order by account"


def account_colours(accounts: Iterable[str]) -> dict[str, str]:
    """Each account's colour, by its place among the sorted names (past ten, colours repeat)."""
    return {
        account: PALETTE[index % len(PALETTE)]
        for index, account in enumerate(sorted(set(accounts)))
    }
