"""The tables each SQL file reads, kept in the warehouse by every build
(`_poolbooks_sql_tables`), so that the next build parses only the files whose text changed."""

from __future__ import annotations

import duckdb

from poolbooks.warehouse.connection import has_table
from poolbooks.warehouse.project import SqlProject

TABLES_READ = "_poolbooks_sql_tables"


def record_tables_read(con: duckdb.DuckDBPyConnection, project: SqlProject) -> None:
    """One row per SQL text the build ran (`digest`, its SHA-256) with the `tables` it reads."""
    digests = sorted(project.tables_read)
    con.execute(
        f"create or replace table {TABLES_READ} as "
        "select unnest(?::varchar[]) as digest, unnest(?::varchar[][]) as tables",
        [digests, [sorted(project.tables_read[digest]) for digest in digests]],
    )


def read_tables_read(con: duckdb.DuckDBPyConnection) -> dict[str, frozenset[str]]:
    """What a published warehouse recorded (nothing, for one built before it did)."""
    if not has_table(con, TABLES_READ):
        return {}
    rows = con.execute(f"select digest, tables from {TABLES_READ}").fetchall()
    return {str(digest): frozenset(tables) for digest, tables in rows}
