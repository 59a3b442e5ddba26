"""What an ingest needs of the configuration: the lake, the client's limits, the pool's time
zone, and `[ingest]`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from poolbooks.http.settings import ClientSettings
from poolbooks.pool_api.accounts import Account

DEFAULT_FULL_WALK_DAYS = 7


@dataclass(frozen=True)
class IngestSettings:
    """How often an account's earn-history is walked in full, so that the pool's restatements
    of days long paid reach the lake without `--full` (a disagreement with the pool's own
    totals walks it at once)."""

    full_walk_days: int = DEFAULT_FULL_WALK_DAYS


class IngestConfig(Protocol):
    """The configuration as an ingest or a reparse reads it (the parsed config is one)."""

    @property
    def lake(self) -> str: ...

    @property
    def source(self) -> Path | None: ...  # the config file, named in errors

    @property
    def timezone(self) -> ZoneInfo: ...

    @property
    def client(self) -> ClientSettings: ...

    @property
    def ingest(self) -> IngestSettings: ...

    @property
    def accounts(self) -> tuple[Account, ...]: ...
