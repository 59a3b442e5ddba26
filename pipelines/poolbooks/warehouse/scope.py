"""What an incremental build recomputes: per (account, coin) the first day it replaces and the
first day it reads (`_scope`), the sums it carries in for the days before (`_carry_in`), and
how it reads each lake dataset for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

SCOPE_TABLE = "_scope"
CARRY_TABLE = "_carry_in"

# How each lake dataset is read for the accounts recomputed (`r`: the dataset's rows, `s`:
# their account's scope): earn-history from context_from, snapshots from snapshots_from, and
# the rest of an account's rows whole (its latest earn-stats, every address it reported,
# every on-chain check). Datasets not named here are read whole: prices, pool stats.
_ROWS = {
    "earn_history": "r.date >= s.context_from",
    "hashrate": "r.fetched_at >= s.snapshots_from",
    "worker_stats": "r.fetched_at >= s.snapshots_from",
    "earn_stats": "true",
    "account_info": "true",
    "onchain_tx": "true",
}


@dataclass(frozen=True)
class SourceScope:
    """The lake rows an incremental build reads: `first_day` and `first_snapshot` are the
    earliest context_from and snapshots_from of any account, a bound DuckDB pushes into the
    Parquet scan (row groups wholly before it are skipped)."""

    first_day: date
    first_snapshot: datetime

    def relation(self, dataset: str, relation: str) -> str:
        """`relation` (a dataset's files) narrowed to the rows of the accounts recomputed."""
        condition = _ROWS.get(dataset)
        if condition is None:
            return relation
        bound = ""
        if dataset == "earn_history":
            bound = f" where r.date >= date '{self.first_day.isoformat()}'"
        elif condition.startswith("r.fetched_at"):
            bound = f" where r.fetched_at >= timestamptz '{self.first_snapshot.isoformat()}'"
        return (
            f"(select r.* from {relation} as r semi join {SCOPE_TABLE} as s "
            f"on r.account = s.account and r.coin = s.coin and {condition}{bound})"
        )


def empty_carry_sql() -> str:
    """`_carry_in` of a full build: no rows, so `{{ carry_in() }}` adds nothing."""
    return (
        f"create or replace temp table {CARRY_TABLE} (account varchar, coin varchar, "
        "carried_earnings_sat bigint, carried_paid_sat bigint, carried_settled_sat bigint, "
        "carried_profit_cents bigint, carried_profit_days bigint)"
    )
