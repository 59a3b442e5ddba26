"""What an ingest run tells its watcher as it goes: the `Progress` protocol, and silence."""

from __future__ import annotations

from typing import Protocol

from poolbooks.ingest.reports import AccountOutcome


class Progress(Protocol):
    """What a run tells its watcher: a progress bar on a terminal, log lines otherwise."""

    def started(self, account: str) -> None: ...
    def advanced(self, account: str, done: int, total: int) -> None: ...
    def finished(self, outcome: AccountOutcome) -> None: ...
    def waiting(self, message: str) -> None: ...


class SilentProgress:
    """A watcher that is told nothing: the run's default."""

    def started(self, account: str) -> None:
        pass

    def advanced(self, account: str, done: int, total: int) -> None:
        pass

    def finished(self, outcome: AccountOutcome) -> None:
        pass

    def waiting(self, message: str) -> None:
        pass
