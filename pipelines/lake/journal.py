"""Commit journals: the files a run's commit is writing, so that a commit is all or nothing.

A run writes several files (page archives, one per dataset). Before the first, it writes
`_commits/<run_id>.json` naming them all; after the last, it deletes it. Readers skip every
file a journal names, so they see a run whole or not at all, and the next writer rolls back
a commit that was killed midway: the lake is as it was, and that run's re-run fetches again.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pyarrow.fs as pafs

from pipelines.lake.storage import LakeStorage

JOURNAL_FOLDER = "_commits"


@contextmanager
def journaled_commit(storage: LakeStorage, run_id: str, targets: Sequence[str]) -> Iterator[None]:
    """Write `targets` inside the block; on any error (or a kill) none of them counts."""
    journal = storage.path(JOURNAL_FOLDER, f"{run_id}.json")
    body = json.dumps([storage.relative(path) for path in targets]).encode()
    storage.write_atomic(journal, lambda stream: stream.write(body), lambda _: None)
    try:
        yield
    except BaseException:
        _roll_back(storage, journal)
        raise
    storage.delete(journal)


def pending_files(storage: LakeStorage) -> set[str]:
    """Files named by commits not finished (in progress, or killed and not yet rolled back)."""
    return {path for journal in _journals(storage) for path in _targets(storage, journal)}


def roll_back_interrupted(storage: LakeStorage) -> int:
    """Delete what killed commits wrote; call only while holding the lake lock. On an object
    store, where there is no lock, only journals older than an hour are taken."""
    return sum(
        _roll_back(storage, journal) for journal in storage.safe_to_clean(_journals(storage))
    )


def _roll_back(storage: LakeStorage, journal: str) -> int:
    removed = 0
    for path in _targets(storage, journal):
        if storage.exists(path):
            storage.delete(path)
            removed += 1
    with contextlib.suppress(FileNotFoundError):  # another writer rolled it back already
        storage.delete(journal)
    return removed


def _journals(storage: LakeStorage) -> list[str]:
    selector = pafs.FileSelector(storage.path(JOURNAL_FOLDER), allow_not_found=True)
    return sorted(
        info.path
        for info in storage.fs.get_file_info(selector)
        if info.type == pafs.FileType.File and info.base_name.endswith(".json")
    )


def _targets(storage: LakeStorage, journal: str) -> list[str]:
    try:
        names: list[str] = json.loads(storage.read_bytes(journal))
    except FileNotFoundError:  # finished between listing and reading
        return []
    return [storage.path(name) for name in names]
