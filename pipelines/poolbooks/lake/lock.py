"""The lake's writer lock: commits and compaction take it; readers never need it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from poolbooks.lake.storage import LakeStorage
from poolbooks.locks import file_lock

LOCK_FOLDER = "_locks"


@contextmanager
def lake_lock(
    storage: LakeStorage, name: str = "writer", on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold `<lake>/_locks/<name>.lock`; a second writer reports whom it waits for and waits."""
    folder = storage.local_path(storage.path(LOCK_FOLDER))
    if folder is None:  # object stores: one writer by deployment (see docs)
        yield
        return
    with file_lock(folder / f"{name}.lock", on_wait):
        yield
