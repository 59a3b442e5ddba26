"""Reading lake datasets: their readable files, in their current schema, as Arrow datasets or
DuckDB views."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from poolbooks.lake import schemas
from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage

if TYPE_CHECKING:
    import pyarrow.dataset as pads


def open_dataset(storage: LakeStorage, dataset: str) -> pads.Dataset | None:
    """The dataset's readable files under its current schema; None when it has none."""
    import pyarrow.dataset as pads  # imported here: it pulls in pandas when that is installed

    files = readable_files(storage, dataset).paths
    if not files:
        return None
    return pads.dataset(
        files, schema=schemas.DATASETS[dataset], format="parquet", filesystem=storage.fs
    )


def register_dataset(
    con: duckdb.DuckDBPyConnection, name: str, storage: LakeStorage, dataset: str
) -> bool:
    """Make a dataset queryable as `name` in DuckDB; False when it has no files yet.

    Local files are read by DuckDB's own Parquet reader; other filesystems through Arrow.
    """
    files = readable_files(storage, dataset).paths
    if not files:
        return False
    if storage.is_local:
        listed = ", ".join("'" + path.replace("'", "''") + "'" for path in files)
        scan = f"read_parquet([{listed}], union_by_name = true)"
        con.execute(f"create or replace temp view {name} as select * from {scan}")  # noqa: S608
        found = {row[0] for row in con.execute(f"describe {name}").fetchall()}
        missing = [c for c in schemas.COLUMNS[dataset] if c.name not in found]
        if missing:  # files older than a column: it reads as null, as on an object store
            nulls = ", ".join(
                f"cast(null as {schemas.DUCKDB_TYPE[c.type]}) as {c.name}" for c in missing
            )
            con.execute(
                f"create or replace temp view {name} as select *, {nulls} from {scan}"  # noqa: S608
            )
    else:
        con.register(name, open_dataset(storage, dataset))
    return True


def newest_fetch_per_account(storage: LakeStorage, dataset: str) -> dict[str, datetime]:
    """When each account was last fetched into a dataset (UTC)."""
    table = open_dataset(storage, dataset)
    if table is None:
        return {}
    grouped = table.to_table(columns=["account", "fetched_at"]).group_by("account")
    newest = grouped.aggregate([("fetched_at", "max")])
    rows = zip(
        newest.column("account").to_pylist(),
        newest.column("fetched_at_max").to_pylist(),
        strict=True,
    )
    return {account: when for account, when in rows if account is not None and when is not None}
