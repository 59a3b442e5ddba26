"""Commit journals: the files a commit writes (and replaces), so that it is all or nothing.

A run writes several files (page archives, one per dataset). Before the first, it writes
`_commits/<run_id>.json` naming them all; after the last, it deletes it. Readers skip every
file a journal in progress names (`readable.py` asks `pending_files`), so they see a run whole
or not at all, and the next writer rolls back a commit that was killed midway: the lake is as
it was, and that run's re-run fetches again.

A commit may also replace files (`poolbooks reparse` rewrites partitions). Once every new file
is in place, the journal is rewritten as done, in one atomic step: from then on readers skip
the replaced files instead of the new ones, and the commit deletes them. A writer that finds a
done journal (the commit was killed while deleting) finishes the deletes: rolled forward.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from poolbooks.lake.storage import LakeStorage

JOURNAL_FOLDER = "_commits"


@dataclass(frozen=True)
class Journal:
    """What one commit writes and replaces, and whether its new files count yet."""

    targets: tuple[str, ...]
    replaces: tuple[str, ...] = ()
    done: bool = False

    @property
    def hidden(self) -> tuple[str, ...]:
        """The files readers must skip: the new ones until done, the replaced ones after."""
        return self.replaces if self.done else self.targets


@contextmanager
def journaled_commit(
    storage: LakeStorage, run_id: str, targets: Sequence[str], replaces: Sequence[str] = ()
) -> Iterator[None]:
    """Write `targets` inside the block; on any error (or a kill) none of them counts. After
    the block, `replaces` stop counting and are deleted."""
    path = storage.path(JOURNAL_FOLDER, f"{run_id}.json")
    journal = Journal(tuple(targets), tuple(replaces))
    _write(storage, path, journal)
    try:
        yield
        if journal.replaces:
            _write(storage, path, Journal(journal.targets, journal.replaces, done=True))
    except BaseException:
        _roll_back(storage, path)
        raise
    _finish(storage, path, Journal(journal.targets, journal.replaces, done=True))


def pending_files(storage: LakeStorage) -> set[str]:
    """Files readers skip: those of commits not finished (in progress, or killed and not yet
    rolled back), and those that finished commits replaced but have not deleted yet."""
    hidden: set[str] = set()
    for path in _journals(storage):
        journal = _read(storage, path)
        if journal is not None:
            hidden.update(journal.hidden)
    return hidden


def roll_back_interrupted(storage: LakeStorage) -> int:
    """Settle what killed commits left: roll back those killed while writing (delete their
    new files), roll forward those killed while deleting (delete what they replaced). Call
    only while holding the lake lock. On an object store, where there is no lock, only
    journals older than an hour are taken."""
    settled = 0
    for path in storage.safe_to_clean(_journals(storage)):
        journal = _read(storage, path)
        if journal is not None and journal.done:
            settled += _finish(storage, path, journal)
        else:
            settled += _roll_back(storage, path)
    return settled


def _write(storage: LakeStorage, path: str, journal: Journal) -> None:
    body = json.dumps(
        {
            "targets": [storage.relative(p) for p in journal.targets],
            "replaces": [storage.relative(p) for p in journal.replaces],
            "done": journal.done,
        }
    ).encode()
    storage.write_atomic(path, lambda stream: stream.write(body), lambda _: None)


def _read(storage: LakeStorage, path: str) -> Journal | None:
    """A journal, or None when it finished between listing and reading. A journal written
    before commits could replace files is a plain list of targets."""
    try:
        body = json.loads(storage.read_bytes(path))
    except FileNotFoundError:
        return None
    if isinstance(body, list):
        return Journal(tuple(storage.path(name) for name in body))
    return Journal(
        tuple(storage.path(name) for name in body["targets"]),
        tuple(storage.path(name) for name in body.get("replaces", [])),
        bool(body.get("done", False)),
    )


def _roll_back(storage: LakeStorage, path: str) -> int:
    journal = _read(storage, path)
    return _delete_all(storage, path, journal.targets if journal else ())


def _finish(storage: LakeStorage, path: str, journal: Journal) -> int:
    return _delete_all(storage, path, journal.replaces)


def _delete_all(storage: LakeStorage, journal: str, files: Sequence[str]) -> int:
    removed = 0
    for path in files:
        if storage.exists(path):
            storage.delete(path)
            removed += 1
    with contextlib.suppress(FileNotFoundError):  # another writer settled it already
        storage.delete(journal)
    return removed


def _journals(storage: LakeStorage) -> list[str]:
    folder = storage.path(JOURNAL_FOLDER)
    return sorted(
        f"{folder}/{name}"
        for name, is_dir in storage.entries(folder)
        if not is_dir and name.endswith(".json")
    )
