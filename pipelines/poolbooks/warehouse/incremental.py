"""Whether a build can update the published warehouse instead of rebuilding it, and if so what
it recomputes: per (account, coin), from the first day the lake's new files change on."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse.connection import has_table
from poolbooks.warehouse.lake_files import LakeFileChanges, read_lake_files
from poolbooks.warehouse.project import SqlProject
from poolbooks.warehouse.scope import CARRY_TABLE, SCOPE_TABLE, SourceScope
from poolbooks.warehouse.tables_read import read_tables_read
from poolbooks.warehouse.templating import PinnedFiles, parquet_relation

# bumped when the way an incremental build updates the warehouse changes: a warehouse built
# another way is rebuilt whole
FORMAT = "incremental-2"
# a warehouse file that has grown past this many times its size after its last full build
# (an update leaves the rows it replaced as free space) is rebuilt whole, and so compacted
GROWTH_LIMIT = 2.0
# The addresses each account's info has reported (account, coin, address), kept in the
# warehouse by every build: an address a new snapshot reports for the first time may clear an
# `address_mismatch` finding of any payout of the account, so an update recomputes that
# account whole; a snapshot that repeats known addresses changes nothing.
KNOWN_ADDRESSES = "_poolbooks_known_addresses"
# Each account's last published day (account, coin, last_day), kept by every build: an
# update's planning reads it instead of a pass over daily_earnings. An update never drops a
# published day (`refuse_to_drop_days`), so an account's last day only moves on.
LAST_DAYS = "_poolbooks_last_days"
# the published days before keep_from that an update carries on from are looked for among the
# days from this many days before the earliest keep_from first (a bound DuckDB pushes into its
# scan of the mart, skipping the other days' columns), and in an account's whole history only
# when it has fewer there
RECENT_DAYS = 40
EVER = date(1, 1, 1)  # the first day of an account recomputed whole
# an update that would replace more than this share of the published days builds whole: past
# it, deleting and inserting the rows costs more than writing the file anew (on the B5 lake,
# half of the days took longer to update than the whole to build)
MAX_SHARE = 0.25
NEVER = date(9999, 12, 31)  # an account whose days did not change (only its earn-stats did)


@dataclass(frozen=True)
class Published:
    """What the published warehouse says of the build that made it, in one read-only open:
    its fingerprint and size after its last full build (None when it recorded none), what its
    SQL files read (`tables_read.py`) and which lake files it read (`lake_files.py`)."""

    fingerprint: str | None
    full_build_bytes: int | None
    size: int
    tables_read: dict[str, frozenset[str]]
    lake_files: set[tuple[str, str]] | None


@dataclass(frozen=True)
class Recomputed:
    """What an incremental build recomputed: how many (account, coin) and from which day."""

    accounts: int
    first_day: date | None


def fingerprint(
    project: SqlProject, variables: Mapping[str, str], inputs: Mapping[str, str]
) -> str:
    """Everything besides the lake that a build's result follows from: the SQL, the
    variables and the config's inputs. A published warehouse with another one is rebuilt."""
    digest = hashlib.sha256(FORMAT.encode())
    files = [*project.models.values(), *project.tests.values()]
    if project.macros is not None:
        files.append(project.macros)
    for sql_file in sorted(files, key=lambda f: f.name):
        digest.update(f"\0{sql_file.name}\0{sql_file.sql}".encode())
    for name, value in sorted({**variables, **inputs}.items()):
        digest.update(f"\0{name}\0{value}".encode())
    return digest.hexdigest()


def read_published(path: Path) -> Published | None:
    """The published build's record, or None when there is no warehouse this build can
    read."""
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            columns = {
                str(row[0])
                for row in con.execute(
                    "select column_name from duckdb_columns() where table_name = '_poolbooks_build'"
                ).fetchall()
            }
            row = (
                con.execute("select fingerprint, full_build_bytes from _poolbooks_build").fetchone()
                if {"fingerprint", "full_build_bytes"} <= columns
                else None
            )
            fingerprint, full_build_bytes = row if row else (None, None)
            return Published(
                fingerprint,
                full_build_bytes,
                path.stat().st_size,
                read_tables_read(con),
                read_lake_files(con),
            )
    except duckdb.Error:
        return None


def full_build_reason(
    *,
    requested: bool,
    storage: LakeStorage,
    project: SqlProject,
    published: Published | None,
    changes: LakeFileChanges,
    current: str,
) -> str | None:
    """Why this build must rebuild the warehouse whole, or None when it can update it."""
    if requested:
        return "asked for (--full)"
    if published is None or published.fingerprint is None or changes.previous is None:
        return "no published warehouse that recorded its build"
    if not storage.is_local:
        return "the lake is on an object store"
    if published.fingerprint != current:
        return "the SQL or the settings changed since the published build"
    if changes.gone_files:
        return f"{changes.gone_files} lake files the published build read are gone (compacted?)"
    missing = [
        name
        for name, model in project.models.items()
        if model.materialization == "table" and model.layer == "marts" and not model.incremental
    ]
    if missing:
        return f"models without an `-- incremental:` condition: {', '.join(sorted(missing))}"
    if published.full_build_bytes and published.size > GROWTH_LIMIT * published.full_build_bytes:
        return (
            f"the warehouse file has grown to {published.size / published.full_build_bytes:.1f} "
            "times its size after its last full build"
        )
    return None


def plan_scope(
    con: duckdb.DuckDBPyConnection,
    storage: LakeStorage,
    pinned: PinnedFiles,
    changes: LakeFileChanges,
    *,
    uniform: bool,
) -> tuple[SourceScope, Recomputed] | str:
    """Creates `_scope` and `_carry_in` on `con` (the published warehouse's copy) from the new
    lake files; or says why a full build is better (the update would replace more than
    MAX_SHARE of the published days). `uniform`: with fixed costs, shared among the accounts
    with a settled day, every account is recomputed from the first day a new row may change
    how many have one."""
    added = {dataset: set(paths) for dataset, paths in changes.new.items()}
    new = {
        dataset: [p for p in readable.paths if storage.relative(p) in added.get(dataset, set())]
        for dataset, readable in pinned.items()
    }
    old_prices = [p for p in pinned["prices"].paths if p not in set(new["prices"])]
    parts = ["select null::varchar as account, null::varchar as coin, null::date as first_day"]
    _new_history(con, parquet_relation(new["earn_history"]) if new["earn_history"] else None)
    parts.append("select account, coin, min(date) from _new_history group by account, coin")
    _new_snapshot_days(con, [new["hashrate"], new["worker_stats"]])
    parts.append("select account, coin, first_day from _new_snapshot_days")
    if new["earn_stats"]:
        parts.append(
            f"select account, coin, {_day(NEVER)} "
            f"from {parquet_relation(new['earn_stats'])} group by account, coin"
        )
    if new["account_info"]:
        con.execute(
            "create temp table _new_addresses as select distinct account, coin, "
            "trimmed_or_null(address) as address "
            f"from {parquet_relation(new['account_info'])} as n "
            "where trimmed_or_null(address) is not null "
            f"and not exists (select 1 from main.{KNOWN_ADDRESSES} as k where "
            "k.account = n.account and k.coin = n.coin and k.address = trimmed_or_null(n.address))"
        )
        parts.append(
            f"select account, coin, {_day(EVER)} from _new_addresses group by account, coin"
        )
    if new["onchain_tx"]:
        # a new check of a payout changes its on-chain findings, dated on its last day
        parts.append(
            "select p.account, p.coin, min(p.last_date) from main.payouts as p semi join "
            f"{parquet_relation(new['onchain_tx'])} as n on p.account = n.account and "
            "p.coin = n.coin and p.payment_tx = n.payment_tx group by p.account, p.coin"
        )
    if new["prices"]:
        # a price row any earlier run wrote the same (an override file is written whole by
        # every run that reads it) changes nothing
        old = (
            f"anti join {parquet_relation(old_prices)} as o on n.coin = o.coin and "
            "n.currency = o.currency and n.date = o.date and n.close = o.close and "
            "n.source = o.source and n.final = o.final"
            if old_prices
            else ""
        )
        con.execute(
            "create temp table _price_changes as select n.coin, min(n.date) as first_day "
            f"from {parquet_relation(new['prices'])} as n {old} group by n.coin"
        )
        parts.append(
            f"select e.account, e.coin, p.first_day from main.{LAST_DAYS} as e "
            "join _price_changes as p on e.coin = p.coin"
        )
    con.execute(f"create temp table _changed as {' union all '.join(parts)}")
    accounts = (
        # every published account: those with days and those with snapshots only
        "select account, coin from last_days union "
        "select account, coin from main.hashrate_daily union "
        "select account, coin from changed"
        if uniform
        else "select account, coin from changed"
    )
    con.execute(_KEEP_SQL.format(accounts=accounts, uniform=uniform))
    while True:
        updated = con.execute(_WHOLE_PAYOUTS_SQL).fetchone()
        if not updated or not updated[0]:
            break
    _published_before(con)
    con.execute(_SCOPE_SQL)
    con.execute(_CARRY_SQL)
    first_kept = con.execute("select min(keep_from) from _keep").fetchone()
    replaced = con.execute(
        f"select count(*), (select count(*) from main.daily_earnings) from main.daily_earnings "
        f"as t semi join {SCOPE_TABLE} as s on t.account = s.account and t.coin = s.coin "
        f"and t.date >= s.keep_from where t.date >= {_day(first_kept[0] if first_kept else None)}"
    ).fetchone()
    if replaced and replaced[1] and replaced[0] > MAX_SHARE * replaced[1]:
        return (
            f"an update would recompute {replaced[0] / replaced[1]:.0%} of the published days: "
            "building whole is faster"
        )
    row = con.execute(
        f"select count(*), min(keep_from), min(context_from), min(snapshots_from) "
        f"filter (where snapshots_keep_from < {_day(NEVER)}) "
        f"from {SCOPE_TABLE} where keep_from < {_day(NEVER)}"
    ).fetchone()
    row = row or (0, None, None, None)
    first_day: date = row[2] or NEVER
    first_snapshot: datetime | None = row[3]
    scope = SourceScope(first_day, first_snapshot)
    everyone = con.execute(f"select count(*) from {SCOPE_TABLE}").fetchone()
    return scope, Recomputed(int(everyone[0]) if everyone else 0, row[1])


def _day(day: date | None) -> str:
    """A day as a DuckDB literal; None as NEVER."""
    return f"date '{(day or NEVER).isoformat()}'"


def _new_history(con: duckdb.DuckDBPyConnection, history: str | None) -> None:
    """`_new_history`: the new earn-history rows that may change something (none without a
    new earn-history file), each with whether its day was unpublished or provisional."""
    if history is None:
        con.execute(
            "create temp table _new_history (account varchar, coin varchar, date date, "
            "payment_tx varchar, new_or_provisional boolean)"
        )
        return
    bounds = con.execute(f"select min(date), max(date) from {history}").fetchone()
    first, last = bounds if bounds else (None, None)
    con.execute(_CHANGED_HISTORY_SQL.format(history=history, first=_day(first), last=_day(last)))


def _new_snapshot_days(con: duckdb.DuckDBPyConnection, files: list[list[str]]) -> None:
    """`_new_snapshot_days`: per (account, coin), the first pool-zone day of a snapshot in
    the new hashrate and worker-stats files (the first day of the account's snapshot models
    an update recomputes)."""
    parts = [
        f"select account, coin, pool_day(fetched_at) as day from {parquet_relation(paths)}"
        for paths in files
        if paths
    ]
    rows = " union all ".join(parts) or (
        "select null::varchar as account, null::varchar as coin, null::date as day limit 0"
    )
    con.execute(
        "create temp table _new_snapshot_days as select account, coin, min(day) as first_day "
        f"from ({rows}) group by account, coin"
    )


def _published_before(con: duckdb.DuckDBPyConnection) -> None:
    """`_days_before` and `_profit_before`: per (account, coin) of `_keep`, the two published
    days before keep_from, newest first, with their running sums, and the last published day
    with a profit before it. They are looked for in the RECENT_DAYS before the earliest day an
    account needs first (none before EVER), then in the whole history of the published
    accounts that had fewer there."""
    row = con.execute(
        f"select min(least(k.keep_from, l.last_day + 1)) from _keep as k "
        f"inner join main.{LAST_DAYS} as l on k.account = l.account and k.coin = l.coin "
        f"where k.keep_from > {_day(EVER)}"
    ).fetchone()
    needed: date | None = row[0] if row else None
    if needed is None or needed <= EVER + timedelta(days=RECENT_DAYS):
        recent = ""
    else:
        recent = f" and p.date >= {_day(needed - timedelta(days=RECENT_DAYS))}"
    for table, query, found in (
        ("_days_before", _DAYS_BEFORE_SQL, "len(f.days) = 2"),
        ("_profit_before", _PROFIT_BEFORE_SQL, "true"),
    ):
        con.execute(f"create temp table {table} as {query.format(keep='_keep', recent=recent)}")
        if not recent:
            continue
        con.execute(
            "create or replace temp table _short as select k.* from _keep as k "
            f"semi join main.{LAST_DAYS} as l on k.account = l.account and k.coin = l.coin "
            f"where k.keep_from > {_day(EVER)} and not exists (select 1 from {table} as f "
            f"where f.account = k.account and f.coin = k.coin and {found})"
        )
        short = con.execute("select count(*) from _short").fetchone()
        if short and short[0]:
            con.execute(
                f"delete from {table} as f using _short as k "
                "where f.account = k.account and f.coin = k.coin"
            )
            con.execute(f"insert into {table} {query.format(keep='_short', recent='')}")


# The new earn-history rows that may change something: not those that observe a published
# day again exactly as it is (one row, as it was last observed, settled), which an incremental
# ingest does for every day of the page it re-reads. The published days are read between the
# new rows' first and last date, a bound DuckDB pushes into its scan.
_CHANGED_HISTORY_SQL = """
create temp table _new_history as
with

new_rows as (
    select *, count(*) over (partition by run_id, account, coin, date) as day_rows
    from {history}
),

published as (
    select *
    from main.daily_earnings
    where date between {first} and {last}
)

select
    n.account,
    n.coin,
    n.date,
    trimmed_or_null(n.payment_tx) as payment_tx,
    -- with fixed costs, a day not published before, or provisional, may change every
    -- account's share (`shared_from`)
    d.date is null or d.provisional as new_or_provisional
from new_rows as n
left join published as d
    on d.account = n.account and d.coin = n.coin and d.date = n.date
where not coalesce(
    n.day_rows = 1
    and d.payments <= 1
    and not d.provisional
    and d.puid = n.puid
    and d.earnings_sat = n.earnings_sat
    and d.paid_amount_sat = n.paid_amount_sat
    and d.payment_tx is not distinct from trimmed_or_null(n.payment_tx)
    and d.payment_time is not distinct from n.payment_time
    and d.payout_address is not distinct from trimmed_or_null(n.address)
    and d.difficulty is not distinct from n.difficulty
    and d.payment_mode is not distinct from n.payment_mode
    and d.earnings_rate_pct is not distinct from n.earnings_rate_pct,
    false
)
"""

_KEEP_SQL = f"""
create temp table _keep as
with

changed as (
    select account, coin, min(first_day) as first_day
    from _changed
    where account is not null
    group by account, coin
),

moved_payouts as (
    -- a published payout whose txid a new earn-history row names: replaced whole
    select p.account, p.coin, min(p.last_date) as last_date
    from main.payouts as p
    semi join (
        select distinct account, coin, payment_tx from _new_history where payment_tx is not null
    ) as n
        on p.account = n.account and p.coin = n.coin and p.payment_tx = n.payment_tx
    group by p.account, p.coin
),

last_days as (
    select account, coin, last_day from main.{LAST_DAYS}
),

accounts as ({{accounts}}),

kept as (
    -- the first day replaced: the first changed, or the account's last published day (a
    -- day that was the newest may stop being the provisional one), or a moved payout's
    select
        a.account,
        a.coin,
        least(
            coalesce(c.first_day, {_day(NEVER)}),
            coalesce(l.last_day, {_day(NEVER)}),
            coalesce(m.last_date, {_day(NEVER)})
        ) as keep_from,
        c.account is not null or m.account is not null as changed
    from (select distinct account, coin from accounts) as a
    left join changed as c on a.account = c.account and a.coin = c.coin
    left join last_days as l on a.account = l.account and a.coin = l.coin
    left join moved_payouts as m on a.account = m.account and a.coin = m.coin
),

shared_from as (
    -- with fixed costs, each day's share follows how many accounts have a settled day: the
    -- first day a new row adds a day, or observes a provisional day or an account's last day
    -- again (which may settle, or become the provisional one), changes every account's share
    -- from then on; NULL when none does, or without fixed costs
    select min(n.date) as date
    from _new_history as n
    left join last_days as l
        on n.account = l.account and n.coin = l.coin
    where {{uniform}} and (n.new_or_provisional or n.date >= l.last_day)
),

scoped as (
    select
        k.account,
        k.coin,
        least(k.keep_from, coalesce(f.date, k.keep_from)) as keep_from
    from kept as k, shared_from as f
    where k.changed or f.date is not null
)

select account, coin, keep_from from scoped
"""

# a payout replaced is replaced whole, so its first day is replaced too (its last day may
# move earlier); repeated until no replaced payout begins before keep_from
_WHOLE_PAYOUTS_SQL = """
update _keep as k
set keep_from = p.first_date
from (
    select p.account, p.coin, min(p.first_date) as first_date
    from main.payouts as p
    inner join _keep as k on p.account = k.account and p.coin = k.coin
    where p.last_date >= k.keep_from and p.first_date < k.keep_from
    group by p.account, p.coin
) as p
where k.account = p.account and k.coin = p.coin
"""

_DAYS_BEFORE_SQL = """
select
    p.account,
    p.coin,
    -- the first's date is the previous day of the first recomputed day (the lake is read from
    -- it), the second's running sums those an update carries on from
    arg_max(
        {{
            'date': p.date,
            'cumulative_earnings_sat': p.cumulative_earnings_sat,
            'cumulative_paid_sat': p.cumulative_paid_sat
        }},
        p.date,
        2
    ) as days
from main.daily_earnings as p
inner join {keep} as s on p.account = s.account and p.coin = s.coin
where p.date < s.keep_from{recent}
group by p.account, p.coin
"""

_PROFIT_BEFORE_SQL = """
select
    p.account,
    p.coin,
    -- the running profit's previous value, which the data tests compare the first recomputed
    -- profit with, and which an update carries on from
    arg_max(
        {{
            'date': p.date,
            'cumulative_profit': p.cumulative_profit,
            'cumulative_profit_days': p.cumulative_profit_days
        }},
        p.date
    ) as day
from main.daily_pnl as p
inner join {keep} as s on p.account = s.account and p.coin = s.coin
where p.date < s.keep_from and p.profit is not null{recent}
group by p.account, p.coin
"""

_SCOPE_SQL = f"""
create temp table {SCOPE_TABLE} as
with

contexts as (
    select
        s.account,
        s.coin,
        s.keep_from,
        -- every payout replaced begins at keep_from or later (`_WHOLE_PAYOUTS_SQL`)
        coalesce(b.days[1].date, s.keep_from) as context_from,
        -- the published day before context_from, whose running sums an update carries on from
        b.days[2].date as day_before_context,
        f.day.date as profit_before,
        coalesce(n.first_day, {_day(NEVER)}) as snapshots_keep_from
    from _keep as s
    left join _days_before as b on s.account = b.account and s.coin = b.coin
    left join _profit_before as f on s.account = f.account and s.coin = f.coin
    left join _new_snapshot_days as n on s.account = n.account and s.coin = n.coin
)

select
    c.account,
    c.coin,
    c.keep_from,
    c.context_from,
    c.snapshots_keep_from,
    -- the snapshots of the pool-zone days from snapshots_keep_from on, whatever the zone (its
    -- day begins less than a day before UTC's); `hashrate_daily`, the one model that reads
    -- them, recomputes only those days. (No snapshot predates 1970.)
    to_timestamp(epoch(greatest(c.snapshots_keep_from, date '1970-01-02')) - 86400)
        as snapshots_from,
    least(c.context_from, coalesce(c.profit_before, c.context_from)) as tests_from,
    c.day_before_context,
    c.profit_before
from contexts as c
"""

_CARRY_SQL = f"""
create or replace temp table {CARRY_TABLE} as
with

days as (
    -- the running sums of the published day before context_from are those of every day
    -- before it: one row per account, not a sum over its history
    select
        s.account,
        s.coin,
        coalesce(b.days[2].cumulative_earnings_sat, 0) as carried_earnings_sat,
        coalesce(b.days[2].cumulative_paid_sat, 0) as carried_paid_sat
    from {SCOPE_TABLE} as s
    left join _days_before as b on s.account = b.account and s.coin = b.coin
),

provisional as (
    -- the few published days before context_from that never settled
    select s.account, s.coin, sum(d.earnings_sat) as earnings_sat
    from main.daily_earnings as d
    inner join {SCOPE_TABLE} as s
        on d.account = s.account and d.coin = s.coin and d.date < s.context_from
    where d.provisional
    group by s.account, s.coin
),

profits as (
    select
        s.account,
        s.coin,
        coalesce(cast(f.day.cumulative_profit * 100 as bigint), 0) as carried_profit_cents,
        coalesce(f.day.cumulative_profit_days, 0) as carried_profit_days
    from {SCOPE_TABLE} as s
    left join _profit_before as f on s.account = f.account and s.coin = f.coin
)

select
    d.account,
    d.coin,
    cast(d.carried_earnings_sat as bigint) as carried_earnings_sat,
    cast(d.carried_paid_sat as bigint) as carried_paid_sat,
    cast(d.carried_earnings_sat - coalesce(v.earnings_sat, 0) as bigint) as carried_settled_sat,
    cast(p.carried_profit_cents as bigint) as carried_profit_cents,
    cast(p.carried_profit_days as bigint) as carried_profit_days
from days as d
inner join profits as p on d.account = p.account and d.coin = p.coin
left join provisional as v on d.account = v.account and d.coin = v.coin
"""


def record_last_days(
    con: duckdb.DuckDBPyConnection,
    project: SqlProject,
    database: str,
    *,
    full: bool,
    since: date | None,
) -> None:
    """`_poolbooks_last_days` after the models: a full build's from the whole of
    daily_earnings; an update's from the record and the days from `since` (its earliest
    keep_from; None when it recomputed no day) on, the only ones it can have added. `database`
    names the file's catalog, which a temporary table of the mart's name cannot shadow."""
    table = f'"{database}".main.{LAST_DAYS}'
    mart = f'"{database}".main.daily_earnings'
    last_days = f"select account, coin, max(date) as last_day from {mart}"
    if "daily_earnings" not in project.models:
        con.execute(
            f"create or replace table {table} (account varchar, coin varchar, last_day date)"
        )
    elif full:
        con.execute(f"create or replace table {table} as {last_days} group by account, coin")
    elif since is not None:
        con.execute(
            f"create or replace temp table _recent_last_days as {last_days} "
            f"where date >= {_day(since)} group by account, coin"
        )
        con.execute(
            f"delete from {table} as t using _recent_last_days as r "
            "where t.account = r.account and t.coin = r.coin"
        )
        con.execute(f"insert into {table} select account, coin, last_day from _recent_last_days")


def record_new_addresses(con: duckdb.DuckDBPyConnection) -> None:
    """An update's additions to `_poolbooks_known_addresses`: those its planning found in the
    new account info (planning reads the published file, so they are written to the copy)."""
    if has_table(con, "_new_addresses"):
        con.execute(f"insert into main.{KNOWN_ADDRESSES} select * from _new_addresses")


def record_known_addresses(con: duckdb.DuckDBPyConnection, project: SqlProject) -> None:
    """A full build's `_poolbooks_known_addresses`, from the account info it read (none, for
    a project without `stg_account_info`)."""
    if "stg_account_info" not in project.models:
        con.execute(
            f"create or replace table {KNOWN_ADDRESSES} "
            "(account varchar, coin varchar, address varchar)"
        )
        return
    con.execute(
        f"create or replace table {KNOWN_ADDRESSES} as select distinct account, coin, "
        "payout_address as address from stg_account_info where payout_address is not null"
    )
