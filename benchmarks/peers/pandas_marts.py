"""Peer for B6: daily_earnings, payouts and payout_reconciliation in straightforward pandas."""

from __future__ import annotations

import glob
from pathlib import Path

import pandas as pd


def read_dataset(lake: Path, dataset: str) -> pd.DataFrame:
    files = sorted(glob.glob(str(lake / dataset / "*" / "*.parquet")))
    if not files:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def pandas_marts(lake: Path) -> dict[str, pd.DataFrame]:
    observations = read_dataset(lake, "earn_history")
    observations["payment_tx"] = observations["payment_tx"].str.strip().replace("", None)
    observations["address"] = observations["address"].str.strip().replace("", None)

    # the latest observation of each day
    latest = (
        observations.sort_values(["fetched_at", "run_id"])
        .groupby(["account", "coin", "date"], as_index=False)
        .tail(1)
        .sort_values(["account", "coin", "date"])
    )
    by_account = latest.groupby(["account", "coin"])
    latest["cumulative_earnings_sat"] = by_account["earnings_sat"].cumsum()
    latest["cumulative_paid_sat"] = by_account["paid_amount_sat"].cumsum()
    latest["unpaid_balance_sat"] = latest["cumulative_earnings_sat"] - latest["cumulative_paid_sat"]
    latest["status"] = "unpaid"
    latest.loc[latest["earnings_sat"] == 0, "status"] = "empty"
    latest.loc[latest["payment_tx"].notna() | (latest["paid_amount_sat"] > 0), "status"] = "paid"
    daily_earnings = latest

    payouts = (
        daily_earnings[daily_earnings["payment_tx"].notna()]
        .groupby(["account", "coin", "payment_tx"], as_index=False)
        .agg(
            payment_time=("payment_time", "max"),
            address=("address", "max"),
            paid_sat=("paid_amount_sat", "sum"),
            earning_days=("date", "count"),
            first_date=("date", "min"),
            last_date=("date", "max"),
        )
    )

    totals = daily_earnings.groupby(["account", "coin"], as_index=False).agg(
        earned_sat=("earnings_sat", "sum"), paid_sat=("paid_amount_sat", "sum")
    )
    totals["computed_unpaid_sat"] = totals["earned_sat"] - totals["paid_sat"]
    stats = read_dataset(lake, "earn_stats")
    if not stats.empty:
        stats = stats.sort_values("fetched_at").groupby(["account", "coin"], as_index=False).tail(1)
        totals = totals.merge(
            stats[["account", "coin", "unpaid_sat", "earnings_today_sat", "total_paid_sat"]],
            on=["account", "coin"],
            how="left",
        )
        totals["unpaid_diff_sat"] = (
            totals["unpaid_sat"] - totals["earnings_today_sat"] - totals["computed_unpaid_sat"]
        )
        totals["total_paid_diff_sat"] = totals["total_paid_sat"] - totals["paid_sat"]
    return {"daily_earnings": daily_earnings, "payouts": payouts, "payout_reconciliation": totals}
