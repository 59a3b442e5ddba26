"""How long commands show progress: a rich bar per account on a terminal, log lines otherwise."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

if TYPE_CHECKING:
    from poolbooks.ingest.reports import AccountOutcome

log = logging.getLogger("poolbooks.ingest")
INTERRUPTED = "[yellow]interrupted[/yellow]"


def outcome_line(outcome: AccountOutcome) -> str:
    status = "failed" if outcome.error else "ok"
    return (
        f"account={outcome.account} mode={outcome.history_mode or '-'} "
        f"pages={outcome.history_pages} rows={outcome.history_rows} "
        f"snapshots={outcome.snapshots} status={status}"
    )


class LogProgress:
    """Quiet progress for pipes and schedulers: log lines with --debug only; the command
    prints one `key=value` line per account once the run is in the lake (`outcome_line`)."""

    def started(self, account: str) -> None:
        log.debug("account=%s status=started", account)

    def advanced(self, account: str, done: int, total: int) -> None:
        log.debug("account=%s page=%d of=%d", account, done, total)

    def finished(self, outcome: AccountOutcome) -> None:
        log.debug(outcome_line(outcome))

    def waiting(self, message: str) -> None:
        print(message, file=sys.stderr)

    def interrupted(self) -> None:
        log.debug("status=interrupted")


class BarProgress:
    """A rich progress bar per account, on stderr."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bars = Progress(
            TextColumn("{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}
        self.done: set[str] = set()  # accounts whose bar shows how they ended
        self.stopped = False

    def __enter__(self) -> BarProgress:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def started(self, account: str) -> None:
        self.tasks[account] = self.bars.add_task(account, total=None, status="")
        self.done.discard(account)

    def advanced(self, account: str, done: int, total: int) -> None:
        self.bars.update(self.tasks[account], completed=done, total=max(total, done))

    def finished(self, outcome: AccountOutcome) -> None:
        if outcome.account in self.done:
            return
        self.done.add(outcome.account)
        task = self.tasks[outcome.account]
        if outcome.error:
            status = "[red]failed[/red]"
        elif self.stopped:  # cancelled, not finished
            status = INTERRUPTED
        else:
            status = "[green]ok[/green]"
        done = self.bars.tasks[task].completed
        self.bars.update(task, total=max(done, 1), completed=max(done, 1), status=status)

    def waiting(self, message: str) -> None:
        self.console.print(message)

    def interrupted(self) -> None:
        """Ctrl-C: every account still running stops where it is."""
        self.stopped = True
        for account, task in self.tasks.items():
            if account not in self.done:
                self.done.add(account)
                self.bars.update(task, status=INTERRUPTED)


def progress_for(console: Console) -> BarProgress | LogProgress:
    return BarProgress(console) if console.is_terminal else LogProgress()
