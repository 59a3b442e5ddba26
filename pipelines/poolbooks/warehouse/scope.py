"""What an incremental build recomputes: per (account, coin) the first day it replaces and the
first day it reads (`_scope`), the sums it carries in for the days before (`_carry_in`), and
how it reads each lake dataset for them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# One row per (account, coin) an incremental build recomputes: keep_from, the first day whose
# rows it replaces; context_from, the first earn-history day it reads (the published day
# before keep_from, or the first day of a payout it replaces); snapshots_keep_from, the first
# day of the account's snapshots the lake's new files change (NEVER when none: the models
# that read only snapshots keep their rows); snapshots_from, the first snapshot instant it
# reads (a day before snapshots_keep_from: the pool-zone day begins less than a day before
# UTC's, whatever the zone); tests_from, the first day the data tests read (context_from, or
# the last published day with a profit before keep_from, if earlier: the running profit's
# previous value).
SCOPE_TABLE = "_scope"
# `{{ carry_in() }}`: per (account, coin), the sums of the published days before context_from
# (earnings, paid, settled earnings) and of the published profits before keep_from
CARRY_TABLE = "_carry_in"
# an update condition of this form (`t.date >= s.keep_from`) names days from keep_from on (or
# from snapshots_keep_from on); the data tests read such a mart from tests_from (or from
# snapshots_keep_from), any other mart whole for the accounts in scope
FROM_KEEP = re.compile(r"^t\.(?P<column>[a-z_]+) >= s\.(?P<bound>keep_from|snapshots_keep_from)$")
TESTS_FROM = {"keep_from": "tests_from", "snapshots_keep_from": "snapshots_keep_from"}

# How each lake dataset is read for the accounts recomputed (`r`: the dataset's rows, `s`:
# their account's scope): earn-history from context_from, snapshots from snapshots_from, and
# the rest of an account's rows whole (its latest earn-stats, every address it reported,
# every on-chain check). Datasets not named here are read whole: prices, pool stats.
# dataset -> which of a recomputed account's rows are read (`r` a row, `s` its scope) and the
# kind of bound pushed into the scan: "day" (the earliest context_from), "snapshot" (the
# earliest snapshots_from) or None
_ROWS: dict[str, tuple[str, str | None]] = {
    "earn_history": ("r.date >= s.context_from", "day"),
    "hashrate": ("r.fetched_at >= s.snapshots_from", "snapshot"),
    "worker_stats": ("r.fetched_at >= s.snapshots_from", "snapshot"),
    "earn_stats": ("true", None),
    "account_info": ("true", None),
    "onchain_tx": ("true", None),
}


@dataclass(frozen=True)
class SourceScope:
    """The lake rows an incremental build reads: `first_day` and `first_snapshot` are the
    earliest context_from and snapshots_from of any account, a bound DuckDB pushes into the
    Parquet scan (row groups wholly before it are skipped); `first_snapshot` is None when no
    account's snapshots changed."""

    first_day: date
    first_snapshot: datetime | None

    def reads_nothing(self, dataset: str) -> bool:
        """Whether the build reads none of `dataset`'s rows (the snapshots, when the new files
        hold none): a relation of its columns stands in, and no file of it is opened."""
        return dataset in _ROWS and _ROWS[dataset][1] == "snapshot" and self.first_snapshot is None

    def relation(self, dataset: str, relation: str) -> str:
        """`relation` (a dataset's files) narrowed to the rows of the accounts recomputed."""
        if dataset not in _ROWS:
            return relation
        condition, bound_kind = _ROWS[dataset]
        bound = ""
        if bound_kind == "day":
            bound = f" where r.date >= date '{self.first_day.isoformat()}'"
        elif bound_kind == "snapshot" and self.first_snapshot is not None:
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


def tested_rows_sql(table: str, condition: str | None) -> str:
    """What an incremental build's data tests read of a mart (`table`, qualified): the rows
    of the accounts in scope from tests_from, when its update condition names days from
    keep_from (from snapshots_keep_from when it names those); else all of those accounts'
    rows."""
    match = FROM_KEEP.match(condition or "")
    rows = f"t.{match['column']} >= s.{TESTS_FROM[match['bound']]}" if match else "true"
    return (
        f"select t.* from {table} as t semi join {SCOPE_TABLE} as s "
        f"on t.account = s.account and t.coin = s.coin and {rows}"
    )


def recomputed_failures_sql(test_sql: str, columns: list[str]) -> str:
    """A data test's failing rows that an incremental build answers for: those of the accounts
    in scope and (when the test names a day) of the days it recomputed; a row of a context day
    before keep_from, which the test sees without its own previous days, is not."""
    if not {"account", "coin"} <= set(columns):
        return f"select * from (\n{test_sql}\n)"
    days = " and (f.date is null or f.date >= s.keep_from)" if "date" in columns else ""
    return (
        f"select f.* from (\n{test_sql}\n) as f semi join {SCOPE_TABLE} as s "
        f"on f.account = s.account and f.coin = s.coin{days}"
    )
