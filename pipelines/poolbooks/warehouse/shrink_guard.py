"""The shrink guard: a new build must keep every (account, coin, date) of `daily_earnings` that
the published warehouse has, or stop before it is published."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from poolbooks.warehouse.errors import BuildError, WarehouseWouldShrink
from poolbooks.warehouse.templating import quote_literal

PUBLISHED = "published"  # the published warehouse, attached read-only to the building one
NAMES_SHOWN = 5
PARTIAL_SHOWN = 3

# What the published daily_earnings has that the new one lacks, per (account, coin): the days,
# and whether the new build has nothing at all of that account.
_LOST = f"""
with published_days as (
    select account, coin, date from {PUBLISHED}.main.daily_earnings
),
built_days as (
    select account, coin, date from main.daily_earnings
),
built_accounts as (
    select distinct account, coin from built_days
),
lost as (
    select account, coin, date from published_days
    anti join built_days using (account, coin, date)
),
final as (
    select
        lost.account,
        lost.coin,
        count(distinct lost.date) as days,
        bool_and(built_accounts.account is null) as whole_account
    from lost
    left join built_accounts
        on built_accounts.account = lost.account and built_accounts.coin = lost.coin
    group by lost.account, lost.coin
)
select account, coin, days, whole_account from final order by account, coin
"""
_PUBLISHED_ACCOUNTS = f"""
select count(*) from (select distinct account, coin from {PUBLISHED}.main.daily_earnings)
"""


@dataclass(frozen=True)
class Lost:
    """What the new build lacks of one (account, coin) the published warehouse has."""

    account: str
    coin: str
    days: int
    whole_account: bool


def refuse_to_shrink(con: duckdb.DuckDBPyConnection, published: Path, lake: str) -> None:
    """Raise WarehouseWouldShrink when the build in `con` lacks accounts or days that the
    warehouse published at `published` has; nothing to compare when none is published."""
    if not published.exists():
        return
    try:
        con.execute(f"attach {quote_literal(str(published))} as {PUBLISHED} (read_only)")
    except duckdb.Error as exc:
        raise BuildError(
            f"cannot compare this build with the published warehouse at {published}: "
            f"{' '.join(str(exc).split())}; it was kept (poolbooks build --allow-shrink "
            "publishes anyway)"
        ) from None
    try:
        if not _has_daily_earnings(con):
            return
        lost = [Lost(*row) for row in con.execute(_LOST).fetchall()]
        if lost:
            row = con.execute(_PUBLISHED_ACCOUNTS).fetchone()
            raise WarehouseWouldShrink(describe(lost, int(row[0]) if row else 0, lake))
    finally:
        con.execute(f"detach {PUBLISHED}")


def _has_daily_earnings(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "select count(*) from duckdb_tables() where database_name = ? and schema_name = 'main' "
        "and table_name = 'daily_earnings'",
        [PUBLISHED],
    ).fetchone()
    return bool(row and row[0])


def describe(lost: list[Lost], published_accounts: int, lake: str) -> str:
    """One line naming what would be lost: whole accounts, then days of the others."""
    parts = []
    gone = [item for item in lost if item.whole_account]
    if gone:
        plural = "s" if published_accounts != 1 else ""
        names = _listed([_label(item, lost) for item in gone], NAMES_SHOWN)
        parts.append(f"{len(gone)} of {published_accounts} account{plural} ({names})")
    partial = [item for item in lost if not item.whole_account]
    shown = [_days(item.days, f"of {_label(item, lost)}") for item in partial[:PARTIAL_SHOWN]]
    rest = partial[PARTIAL_SHOWN:]
    if rest:
        others = f"of {len(rest)} more account{'s' if len(rest) != 1 else ''}"
        shown.append(_days(sum(item.days for item in rest), others))
    if shown:
        parts.append(", ".join(shown))
    return (
        f"build would lose {' and '.join(parts)} that the published warehouse has; the lake at "
        f"{lake} may be moved or mistyped: the published warehouse was kept "
        "(poolbooks build --allow-shrink publishes anyway)"
    )


def _label(item: Lost, lost: list[Lost]) -> str:
    """The account's name, with its coin when the account lost rows under several coins."""
    coins = {other.coin for other in lost if other.account == item.account}
    return f"{item.account} {item.coin}" if len(coins) > 1 else item.account


def _days(count: int, whose: str) -> str:
    return f"{count} day{'s' if count != 1 else ''} {whose}"


def _listed(names: list[str], shown: int) -> str:
    """`a, b, c`, or `a, b and 3 more` past `shown` names."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def refuse_to_drop_days(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """In an incremental build, before the recomputed days of `daily_earnings` replace the
    published ones: raise WarehouseWouldShrink if a published day would not come back. The
    lake only gained files, so none should; this says so rather than publish a hole."""
    lost = [Lost(*row) for row in con.execute(_NOT_RECOMPUTED.format(table=table)).fetchall()]
    if lost:
        shown = ", ".join(_days(item.days, f"of {_label(item, lost)}") for item in lost[:3])
        more = f" and {len(lost) - 3} more accounts'" if len(lost) > 3 else ""
        raise WarehouseWouldShrink(
            f"incremental build would drop {shown}{more} published days it did not recompute: "
            "the published warehouse was kept (poolbooks build --full rebuilds from the lake)"
        )


# the published days an incremental build replaces but did not recompute
_NOT_RECOMPUTED = """
select t.account, t.coin, count(*) as days, false as whole_account
from {table} as t
semi join _scope as s on t.account = s.account and t.coin = s.coin and t.date >= s.keep_from
anti join temp.daily_earnings as n on t.account = n.account and t.coin = n.coin and t.date = n.date
group by t.account, t.coin
order by t.account, t.coin
"""
