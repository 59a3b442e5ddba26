"""What the report's P&L section reads from `daily_pnl` (settled days only), and what the config
lacks when no day has a profit yet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import polars as pl

from poolbooks.report.queries import PNL_ACCOUNTS_SQL, PNL_MONTHLY_SQL

# What a day needs for a profit, and what to do about each when no day has one.
NO_POWER = (
    "a power draw for each account: `power_watts` (watts, constant) or `efficiency_j_per_th` "
    "(joules per TH of measured hashrate) in its `[[accounts]]` table"
)
NO_TARIFF = (
    'an electricity tariff: `[costs] electricity = [{ from = 2024-01-01, price_per_kwh = "0.08" '
    "}]`, and fixed costs per month if any (`[costs] fixed`)"
)
NO_PRICES = "the coins' daily prices: `poolbooks prices` (or a `[prices]` table for ingest)"
NO_OVERLAP = (
    "a day that has all of them: a price, a tariff from on or before it, and for an account "
    "given by `efficiency_j_per_th` the hashrate snapshots of that day (`poolbooks snapshot`)"
)


@dataclass(frozen=True)
class PnlData:
    currency: str  # every amount's (`[prices] currency`); empty without a day
    days: pl.DataFrame  # daily_pnl rows of the charted accounts
    monthly: pl.DataFrame  # month, revenue, cost, profit, days, partial: every account's
    accounts: pl.DataFrame  # per account: days, costed days, revenue, costs and profit
    missing: list[str]  # what to configure or fetch for a profit; empty when a day has one

    @property
    def has_profit(self) -> bool:
        return not self.missing


def read_pnl_data(
    frame: Callable[..., pl.DataFrame], con: duckdb.DuckDBPyConnection, accounts: list[str]
) -> PnlData:
    """The charted accounts' days, the farm's months and per-account totals, over the days
    that have a profit; `frame` runs a query as a Polars frame."""
    days = frame(
        "select account, coin, date, price_close, earnings_value, total_cost, profit, "
        "cumulative_profit, realised_hashprice, network_hashprice, breakeven_price "
        "from daily_pnl where account in (select unnest($accounts)) order by account, date",
        accounts=accounts,
    )
    ((currency,),) = con.execute("select any_value(price_currency) from daily_pnl").fetchall()
    return PnlData(
        currency=currency or "",
        days=days,
        monthly=frame(PNL_MONTHLY_SQL),
        accounts=frame(PNL_ACCOUNTS_SQL),
        missing=_missing(con),
    )


def _missing(con: duckdb.DuckDBPyConnection) -> list[str]:
    def some(sql: str) -> bool:
        return bool(con.execute(f"select exists ({sql})").fetchall()[0][0])

    if some("select 1 from daily_pnl where profit is not null"):
        return []
    missing = [
        need
        for need, present in (
            (NO_POWER, some("select 1 from stg_account_power")),
            (NO_TARIFF, some("select 1 from stg_electricity_tariff")),
            (NO_PRICES, some("select 1 from daily_pnl where earnings_value is not null")),
        )
        if not present
    ]
    return missing or [NO_OVERLAP]
