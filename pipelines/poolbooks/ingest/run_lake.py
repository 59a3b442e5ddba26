"""An ingest run's lake: opened in a worker thread while the first requests go out, then read
for where each account's walk starts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import anyio

from poolbooks.ingest.full_walks import PoolTotals
from poolbooks.ingest.settings import IngestConfig
from poolbooks.ingest.state import HistoryState, read_history_state

if TYPE_CHECKING:  # Arrow loads in a worker thread while the first requests go out
    from poolbooks.lake.storage import LakeStorage

# a run without snapshots checks the history against earn-stats no older than this
RECENT_TOTALS = timedelta(hours=1)


class RunLake:
    """The lake as it opens (or the error that stopped it), and the walks' starts read from it."""

    def __init__(self, now: datetime, pool_totals: dict[str, PoolTotals]) -> None:
        self.now = now
        self.pool_totals = pool_totals  # the run's, which the lake's recent totals join
        self.storage: LakeStorage | None = None
        self.error: Exception | None = None
        self.ready = anyio.Event()
        self.states: dict[str, HistoryState] = {}
        self.states_ready = anyio.Event()

    async def open(
        self, storage: LakeStorage | None, config: IngestConfig, run: anyio.CancelScope
    ) -> None:
        """The lake (and with it pyarrow) in a worker thread; a lake that cannot be opened
        stops the run, since nothing fetched could be kept."""
        try:
            self.storage = await anyio.to_thread.run_sync(_open_lake, storage, config)
        except Exception as exc:
            self.error = exc
            run.cancel()
        finally:
            self.ready.set()

    async def load_states(self, names: list[str], with_lake_totals: bool) -> None:
        """Where each account's walk starts; for a run without snapshots, the pool's totals
        as the lake's latest earn-stats has them, when that is recent."""
        try:
            await self.ready.wait()
            if self.storage is not None:
                self.states = await anyio.to_thread.run_sync(
                    read_history_state, self.storage, names
                )
                if with_lake_totals:
                    from poolbooks.ingest.full_walks import recent_pool_totals

                    recent = await anyio.to_thread.run_sync(
                        recent_pool_totals, self.storage, names, self.now - RECENT_TOTALS
                    )
                    self.pool_totals.update(recent)
        finally:
            self.states_ready.set()

    def state(self, account: str) -> HistoryState:
        """Where the account's walk starts: from the beginning if the lake knows nothing."""
        return self.states.get(account, HistoryState(None, None))


def _open_lake(storage: LakeStorage | None, config: IngestConfig) -> LakeStorage:
    from poolbooks.lake.marker import create_lake

    return create_lake(storage if storage is not None else config.lake, config.source)
