"""When an account's earn-history is walked in full, so that restatements reach the lake.

An incremental walk re-reads only the pages that can hold new or unpaid days, so a day the
pool restates long after paying it would reach the lake only with `--full`. A full walk
happens when it can matter:

- `first`: the account was never walked completely;
- `scheduled`: its last full walk is `full_walk_days` old or older, less a share that depends
  on the account (a stable hash of its name takes off up to half), so that accounts started
  together come due on different days and one run does not page everything at once;
- `totals`: after the incremental walk, the pool's own totals (earn-stats `total_paid`, and
  `unpaid` less today's estimate) disagree with what the history holds; a disagreement that
  the last full walk left as it was (the pool's totals are off: `unpaid_mismatch`) walks
  nothing more until its figure changes;
- `requested`: `poolbooks ingest --full`.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from poolbooks.ingest.state import HistoryState
from poolbooks.pool_api.records import EarnHistoryRow, EarnStats

if TYPE_CHECKING:  # Arrow and DuckDB load in a worker thread while the first requests go out
    from poolbooks.lake.storage import LakeStorage

FIRST = "first"
SCHEDULED = "scheduled"
TOTALS = "totals"
REQUESTED = "requested"


@dataclass(frozen=True)
class PoolTotals:
    """The pool's own figures for an account, from an earn-stats answer."""

    unpaid_sat: int
    earnings_today_sat: int
    total_paid_sat: int

    @classmethod
    def of(cls, stats: EarnStats) -> PoolTotals:
        return cls(stats.unpaid_sat, stats.earnings_today_sat, stats.total_paid_sat)


def due_days(account: str, full_walk_days: int) -> int:
    """Days after its last full walk an account is due another: between about half of
    `full_walk_days` and all of it, the same for the account every time."""
    spread = math.ceil(full_walk_days / 2)
    return full_walk_days - zlib.crc32(account.encode()) % spread


def scheduled_reason(
    state: HistoryState, account: str, now: datetime, full_walk_days: int, requested: bool
) -> str | None:
    """Why this run walks the account in full before looking at anything, or None."""
    if requested:
        return REQUESTED
    if state.since is None or state.full_walked_at is None:
        return FIRST
    age = (now.date() - state.full_walked_at.date()).days
    return SCHEDULED if age >= due_days(account, full_walk_days) else None


def history_totals(rows: Iterable[EarnHistoryRow]) -> tuple[int, int]:
    """Earned and paid over rows: a day's earnings once (its rows repeat them), every
    payment."""
    earned: dict[object, int] = {}
    paid = 0
    for row in rows:
        earned[row.date] = row.earnings_sat
        paid += row.paid_amount_sat
    return sum(earned.values()), paid


def totals_gap(earned: int, paid: int, pool: PoolTotals) -> tuple[int, int]:
    """How far the pool's totals are from the history's, as `payout_reconciliation` measures
    them: unpaid (less today's estimate) and total paid."""
    unpaid_gap = pool.unpaid_sat - pool.earnings_today_sat - (earned - paid)
    return unpaid_gap, pool.total_paid_sat - paid


def totals_call_for_a_walk(gap: tuple[int, int], state: HistoryState) -> bool:
    """A disagreement the last full walk did not leave behind."""
    return gap != (0, 0) and gap != state.unresolved


def recent_pool_totals(
    storage: LakeStorage, accounts: list[str], not_before: datetime
) -> dict[str, PoolTotals]:
    """Each account's latest earn-stats in the lake fetched at `not_before` or later (only
    the partitions that can hold one are read): for a run that takes no snapshot itself."""
    import duckdb
    import pyarrow.parquet as pq

    from poolbooks.lake.readable import readable_files
    from poolbooks.lake.writer import fetch_date_of

    files = [
        path
        for path in readable_files(storage, "earn_stats").paths
        if fetch_date_of(path) >= f"{not_before:%Y-%m-%d}"
    ]
    if not files:
        return {}
    table = pq.read_table(files, filesystem=storage.fs, columns=_TOTALS_COLUMNS)
    with duckdb.connect() as con:
        con.register("stats", table)
        rows = con.execute(
            "select account, arg_max(unpaid_sat, fetched_at), "
            "arg_max(earnings_today_sat, fetched_at), arg_max(total_paid_sat, fetched_at) "
            "from stats where fetched_at >= $not_before and account in (select unnest($names)) "
            "group by account",
            {"not_before": not_before, "names": accounts},
        ).fetchall()
    return {name: PoolTotals(unpaid, today, paid) for name, unpaid, today, paid in rows}


_TOTALS_COLUMNS = ["account", "fetched_at", "unpaid_sat", "earnings_today_sat", "total_paid_sat"]
