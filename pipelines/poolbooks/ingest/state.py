"""What the lake says about each account before its earn-history is walked again: where an
incremental walk must start, what the last walks learned, and the history's totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from poolbooks.pool_api.order import Order
from poolbooks.pool_api.walk_report import PagingHint

if TYPE_CHECKING:
    from poolbooks.lake.storage import LakeStorage

# A day is done once every row of its latest observation is paid (a day paid in several
# payments is several rows), or it shows no earnings while a later day was already listed in
# the same run (so it had settled). Everything from the oldest day that is not done must be
# fetched again; the newest day is never done. What the days before it earned and were paid is
# summed once here, so that a walk's totals can be set against the pool's own.
_OPEN_SINCE = """
with observed as (
    select account, date, earnings_sat, payment_tx, paid_amount_sat, fetched_at, run_id,
           date < max(date) over (partition by account, run_id) as settled_when_seen
    from observations
    where account in (select unnest($accounts))
), latest as (
    select * from observed
    qualify run_id = first_value(run_id) over (
        partition by account, date order by fetched_at desc, run_id desc)
), days as (
    select account, date,
           bool_and(payment_tx is not null or paid_amount_sat > 0) as paid,
           max(earnings_sat) as earnings_sat,
           sum(paid_amount_sat) as paid_sat,
           bool_or(settled_when_seen) as settled_when_seen
    from latest
    group by account, date
), open as (
    select account,
           coalesce(
               min(date) filter (
                   where not paid and (earnings_sat > 0 or not settled_when_seen)),
               max(date)
           ) as since
    from days
    group by account
)
select o.account, o.since,
       coalesce(sum(d.earnings_sat) filter (where d.date < o.since), 0) as earned_before,
       coalesce(sum(d.paid_sat) filter (where d.date < o.since), 0) as paid_before
from open as o
join days as d on d.account = o.account
group by o.account, o.since
"""
_LAST_WALKS = """
select account,
       bool_or(complete and mode = 'full') as had_full_walk,
       arg_max("order", fetched_at) filter (where complete) as "order",
       arg_max(total_count, fetched_at) filter (where complete) as total_count,
       max(fetched_at) filter (where complete and mode = 'full') as full_walked_at,
       arg_max(unpaid_diff_sat, fetched_at) filter (where complete and mode = 'full')
           as unpaid_diff_sat,
       arg_max(total_paid_diff_sat, fetched_at) filter (where complete and mode = 'full')
           as total_paid_diff_sat
from walks
where account in (select unnest($accounts))
group by account
"""


@dataclass(frozen=True)
class HistoryState:
    """`since` None means a full walk: the account has never been walked completely.

    `earned_before` and `paid_before` sum the days before `since` (earnings once a day,
    every payment), which an incremental walk does not read again; `full_walked_at` is when
    the last full walk finished and `unresolved` the disagreement with the pool's totals it
    left (unpaid, total paid), if any.
    """

    since: date | None
    hint: PagingHint | None
    full_walked_at: datetime | None = None
    earned_before: int = 0
    paid_before: int = 0
    unresolved: tuple[int, int] | None = None


def read_history_state(storage: LakeStorage, accounts: list[str]) -> dict[str, HistoryState]:
    """Per account: the oldest day that is not done yet and what the last walks learned."""
    # imported here, in the worker thread an ingest reads the state in, so that loading DuckDB
    # overlaps the first requests instead of delaying them
    import duckdb

    from poolbooks.lake.reader import register_dataset

    with duckdb.connect() as con:
        found = register_dataset(con, "observations", storage, "earn_history")
        if not (found and register_dataset(con, "walks", storage, "earn_history_walks")):
            return {name: HistoryState(None, None) for name in accounts}
        open_rows = con.execute(_OPEN_SINCE, {"accounts": accounts}).fetchall()
        walk_rows = con.execute(_LAST_WALKS, {"accounts": accounts}).fetchall()
    opened = {row[0]: row for row in open_rows}
    walked = {row[0]: row for row in walk_rows}
    states: dict[str, HistoryState] = {}
    for name in accounts:
        _, had_full, order, total, walked_at, unpaid_diff, paid_diff = walked.get(
            name, (name, False, None, None, None, None, None)
        )
        if not had_full or name not in opened:
            states[name] = HistoryState(None, None)
            continue
        _, since, earned, paid = opened[name]
        hint = PagingHint(Order(order), int(total)) if order and total is not None else None
        unresolved = None
        if unpaid_diff is not None and paid_diff is not None and (unpaid_diff or paid_diff):
            unresolved = (int(unpaid_diff), int(paid_diff))
        states[name] = HistoryState(since, hint, walked_at, int(earned), int(paid), unresolved)
    return states
