"""Earn-history pages as Arrow batches of observations."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from poolbooks.lake.schemas import EARN_HISTORY, SCHEMA_VERSION
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.records import EarnHistoryPage


def warm_up_arrow() -> None:
    """Do pyarrow's first conversion of Python values now: it imports pandas when installed
    (about half a second), which inside the event loop would stall every request in flight.
    Run in a worker thread at the start of an ingest, while the first requests wait."""
    pa.array([0])


def earn_history_batch(run_id: str, account: Account, page: EarnHistoryPage) -> pa.RecordBatch:
    """One page of earn-history as an Arrow batch of observations."""
    n = len(page.rows)
    rows = page.rows
    columns: dict[str, list[Any]] = {
        "schema_version": [SCHEMA_VERSION] * n,
        "run_id": [run_id] * n,
        "fetched_at": [page.fetched_at] * n,
        "account": [account.name] * n,
        "puid": [account.puid] * n,
        "coin": [account.coin] * n,
        "page": [page.page] * n,
        "date": [r.date for r in rows],
        "earnings_sat": [r.earnings_sat for r in rows],
        "paid_amount_sat": [r.paid_amount_sat for r in rows],
        "payment_time": [r.payment_time for r in rows],
        "payment_tx": [r.payment_tx for r in rows],
        "address": [r.address for r in rows],
        "difficulty": [r.difficulty for r in rows],
        "payment_mode": [r.payment_mode for r in rows],
        "earnings_rate_pct": [r.earnings_rate_pct for r in rows],
        "diff_rate_pct": [r.diff_rate_pct for r in rows],
        "extra": [r.extra for r in rows],
    }
    return pa.RecordBatch.from_pydict(columns, schema=EARN_HISTORY)
