"""Ctrl-C during async work: the work is cancelled and the command learns whether it finished."""

from __future__ import annotations

import signal
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import anyio
from anyio.abc import TaskStatus

T = TypeVar("T")


class CtrlC(Generic[T]):
    """Runs one piece of work; a first Ctrl-C cancels it and calls `on_interrupt`; later ones
    are ignored until it ends. What the work shields still finishes: a worker thread it waits
    for (anyio shields those), such as an ingest's commit, so a commit begun is completed.

    `result` is the work's result once it returned, interrupted or not: a Ctrl-C that lands
    before or after the signal is listened for (Python's KeyboardInterrupt) finds it too.
    """

    def __init__(self, on_interrupt: Callable[[], None]) -> None:
        self.on_interrupt = on_interrupt
        self.interrupted = False
        self.result: T | None = None

    async def run(self, work: Callable[[], Awaitable[T]]) -> None:
        async with anyio.create_task_group() as group:
            with anyio.CancelScope() as scope:
                await group.start(self._listen, scope)
                self.result = await work()
            group.cancel_scope.cancel()  # the work is over: stop listening

    async def _listen(self, work: anyio.CancelScope, *, task_status: TaskStatus[None]) -> None:
        with anyio.open_signal_receiver(signal.SIGINT) as signals:
            task_status.started()
            async for _ in signals:
                if not self.interrupted:
                    self.interrupted = True
                    self.on_interrupt()
                    work.cancel()
