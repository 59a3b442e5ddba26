"""`poolbooks reparse`: the lake's pool datasets derived again from its archived pages with
today's parser, without a request, and committed atomically."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from poolbooks.ingest.reparse_diff import partitions_after
from poolbooks.ingest.reparse_pages import derived_from_archive
from poolbooks.ingest.reparse_report import ReparseReport
from poolbooks.ingest.reparse_write import commit_partitions
from poolbooks.ingest.settings import IngestConfig
from poolbooks.lake.compact import finish_interrupted
from poolbooks.lake.lock import lake_lock
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import recover
from poolbooks.pool_api.accounts import Account


def reparse_lake(
    config: IngestConfig,
    storage: LakeStorage,
    accounts: Sequence[Account] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> ReparseReport:
    """Derive the pool datasets of `accounts` (default: all configured) from the archive
    again and commit what changed. Holds the lake's writer lock throughout.

    Every page an ingest fetched is archived verbatim (those that did not parse set apart with
    their error), so a parser fix reaches old data: each (run, account) whose pages are archived
    gets the rows today's parser reads from them, in place of the rows it has. Rows of a page
    that today's parser still cannot read are kept as they are, never dropped; rows of accounts
    the config no longer names, and datasets no page yields (walk records, on-chain checks), are
    left alone. Partitions that change are rewritten as one new file each, and the old files
    replaced, in one journaled commit: readers see the lake before or after, never between.
    """
    chosen = {a.name: a for a in (accounts if accounts is not None else config.accounts)}
    report = ReparseReport(run_id=_reparse_id())
    with lake_lock(storage, on_wait=on_wait):
        recover(storage)
        finish_interrupted(storage)
        derived = derived_from_archive(storage, chosen, config, report)
        tables = {name: partitions_after(storage, name, derived[name]) for name in derived}
        commit_partitions(storage, tables, report)
    return report


def _reparse_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}Z-reparse-{secrets.token_hex(4)}"
