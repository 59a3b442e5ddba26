"""Parsed snapshot records as plain lake rows (earn-history pages become Arrow batches in
`batches.py`); nothing here needs Arrow."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from poolbooks.lake.version import SCHEMA_VERSION
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.records import Fetched, PoolStats, SnapshotRecord
from poolbooks.pool_api.walk_report import WalkReport


def _run_columns(run_id: str, fetched_at: datetime) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "run_id": run_id, "fetched_at": fetched_at}


def _account_columns(account: Account) -> dict[str, Any]:
    return {"account": account.name, "puid": account.puid, "coin": account.coin}


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
