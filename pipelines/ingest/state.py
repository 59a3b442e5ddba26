"""Where each account's incremental earn-history walk must start, derived from the lake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from pipelines.pool_api.pagination import Order, PagingHint

if TYPE_CHECKING:
    from pipelines.lake.storage import LakeStorage

# A day is done once every row of its latest observation is paid (a day paid in several
# payments is several rows), or it shows no earnings while a later day was already listed in
# the same run (so it had settled). Everything from the oldest day that is not done must be
# fetched again; the newest day is never done.
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
           bool_or(settled_when_seen) as settled_when_seen
    from latest
    group by account, date
)
select account,
       min(date) filter (
           where not paid and (earnings_sat > 0 or not settled_when_seen)) as open_since,
       max(date) as newest
from days
group by account
"""
_LAST_WALKS = """
select account,
       bool_or(complete and mode = 'full') as had_full_walk,
       arg_max("order", fetched_at) filter (where complete) as "order",
       arg_max(total_count, fetched_at) filter (where complete) as total_count
from walks
where account in (select unnest($accounts))
group by account
"""


@dataclass(frozen=True)
class HistoryState:
    """`since` None means a full walk: the account has never been walked completely."""

    since: date | None
    hint: PagingHint | None


def read_history_state(storage: LakeStorage, accounts: list[str]) -> dict[str, HistoryState]:
    """Per account: the oldest day that is not done yet and what the last walk learned."""
    # imported here, in the worker thread an ingest reads the state in, so that loading DuckDB
    # overlaps the first requests instead of delaying them
    import duckdb

    from pipelines.lake.reader import register_dataset

    with duckdb.connect() as con:
        found = register_dataset(con, "observations", storage, "earn_history")
        if not (found and register_dataset(con, "walks", storage, "earn_history_walks")):
            return {name: HistoryState(None, None) for name in accounts}
        open_rows = con.execute(_OPEN_SINCE, {"accounts": accounts}).fetchall()
        walk_rows = con.execute(_LAST_WALKS, {"accounts": accounts}).fetchall()
    open_since = {name: since or newest for name, since, newest in open_rows}
    states: dict[str, HistoryState] = {}
    walked = {row[0]: row for row in walk_rows}
    for name in accounts:
        _, had_full, order, total = walked.get(name, (name, False, None, None))
        if not had_full or name not in open_since:
            states[name] = HistoryState(None, None)
            continue
        hint = PagingHint(Order(order), int(total)) if order and total is not None else None
        states[name] = HistoryState(open_since[name], hint)
    return states
