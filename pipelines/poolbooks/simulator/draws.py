"""Deterministic draws from any parts: the simulator's only randomness."""

from __future__ import annotations

import hashlib


def unit_hash(*parts: object) -> float:
    """A deterministic number in [0, 1) from any parts."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
