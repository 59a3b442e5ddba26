"""Files poolbooks creates follow the user's umask, but are never world-writable."""

from __future__ import annotations

import os

WORLD_WRITABLE = 0o002


def never_world_writable() -> None:
    """Add the world-write bit to this process's umask (and its children's): a umask of 000
    would otherwise leave the lake, the warehouse and the lock files open to every user."""
    current = os.umask(0)
    os.umask(current | WORLD_WRITABLE)
