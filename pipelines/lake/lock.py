"""One writer at a time per lake: an flock'd file; a second writer waits and says so."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.lake.storage import LakeStorage

LOCK_FOLDER = "_locks"


@contextmanager
def lake_lock(
    storage: LakeStorage, name: str = "writer", on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the lake's writer lock; if another process holds it, report it and wait.

    The lock is an advisory `flock` on a file beside the data, released by the kernel when
    its holder dies, so a killed writer never leaves the lake locked.
    """
    folder = storage.local_path(storage.path(LOCK_FOLDER))
    if folder is None:  # object stores: one writer by deployment (see docs)
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"waiting for another poolbooks process ({_holder(path)}) to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    try:
        return path.read_text().strip() or "unknown pid"
    except OSError:
        return "unknown pid"
