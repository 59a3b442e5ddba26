"""The id of a run that writes to the lake: sortable by start and unique."""

from __future__ import annotations

import secrets
from datetime import datetime


def new_run_id(now: datetime) -> str:
    """Sortable and unique: the UTC start time and a few random bytes."""
    return f"{now:%Y%m%dT%H%M%S}Z-{secrets.token_hex(4)}"
