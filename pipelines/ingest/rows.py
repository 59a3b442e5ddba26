"""Parsed records as lake rows: Arrow batches for history pages, plain rows for snapshots."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

import pyarrow as pa

from pipelines.config import Account
from pipelines.lake.schemas import EARN_HISTORY, SCHEMA_VERSION
from pipelines.pool_api.pagination import WalkReport
from pipelines.pool_api.records import (
    AccountInfo,
    EarnHistoryPage,
    EarnStats,
    Fetched,
    Hashrate,
    PoolStats,
    WorkerStats,
)

SnapshotRecord = AccountInfo | EarnStats | Hashrate | WorkerStats


def warm_up_arrow() -> None:
    """Do pyarrow's first conversion of Python values now: it imports pandas when installed
    (about half a second), which inside the event loop would stall every request in flight.
    Run in a worker thread at the start of an ingest, while the first requests wait."""
    pa.array([0])


def _run_columns(run_id: str, fetched_at: datetime) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "run_id": run_id, "fetched_at": fetched_at}


def _account_columns(account: Account) -> dict[str, Any]:
    return {"account": account.name, "puid": account.puid, "coin": account.coin}


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


def snapshot_row(run_id: str, account: Account, fetched: Fetched[SnapshotRecord]) -> dict[str, Any]:
    return {
        **_run_columns(run_id, fetched.fetched_at),
        **_account_columns(account),
        **asdict(fetched.record),
    }


def pool_stats_row(
    run_id: str, host: str, coin: str, scope: str, fetched: Fetched[PoolStats]
) -> dict[str, Any]:
    return {
        **_run_columns(run_id, fetched.fetched_at),
        "host": host,
        "coin": coin,
        "scope": scope,
        **asdict(fetched.record),
    }


def walk_row(
    run_id: str,
    account: Account,
    finished_at: datetime,
    report: WalkReport,
    since: Any,
    error: str | None,
) -> dict[str, Any]:
    return {
        **_run_columns(run_id, finished_at),
        **_account_columns(account),
        "mode": report.mode,
        "since": since,
        "order": str(report.order),
        "total_count": report.total_count,
        "pages_fetched": report.pages_fetched,
        "repages": report.repages,
        "complete": error is None,
        "error": error,
    }
