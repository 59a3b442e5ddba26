"""What a served simulator holds: the pool, its faults, and what it has seen."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from poolbooks.simulator.clock import WALL_CLOCK_STEP, WallClock
from poolbooks.simulator.faults import Faults
from poolbooks.simulator.pool import SimulatedPool


@dataclass
class SimulatorState:
    """The pool, its faults, and what it has seen: counts, requests in flight, the rate bucket.
    With a `wall_clock` the pool's clock follows it (see `follow_wall_clock`)."""

    pool: SimulatedPool
    faults: Faults = field(default_factory=Faults)
    wall_clock: WallClock | None = None
    requests: int = 0
    by_endpoint: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    faults_injected: dict[str, int] = field(default_factory=dict)
    rate_limited: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    seen: dict[str, int] = field(default_factory=dict)
    drift_done: set[int] = field(default_factory=set)
    _tokens: float = 0.0
    _refilled: float = 0.0

    def follow_wall_clock(self) -> None:
        """Move the pool's clock to the wall time once it is a minute or more behind; it never
        goes back, so a clock moved ahead through /_sim/clock waits for the wall there."""
        if self.wall_clock is None:
            return
        wall = self.wall_clock()
        if wall - self.pool.now >= WALL_CLOCK_STEP:
            self.pool.set_now(wall)

    def take_token(self) -> float:
        """0 when a request may pass the rate limit, else seconds until it could."""
        rate = self.faults.rate
        if rate <= 0:
            return 0.0
        now = time.monotonic()
        if self._refilled == 0.0:
            self._tokens, self._refilled = rate, now
        self._tokens = min(rate, self._tokens + (now - self._refilled) * rate)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / rate

    def count_status(self, status: int) -> None:
        self.by_status[str(status)] = self.by_status.get(str(status), 0) + 1

    def note_fault(self, fault: str | None) -> None:
        """Counted when drawn: a client may hang up before a stalled answer is finished."""
        if fault is not None:
            self.faults_injected[fault] = self.faults_injected.get(fault, 0) + 1

    def snapshot(self) -> dict[str, Any]:
        return {
            "now": self.pool.now.isoformat(),
            "requests": self.requests,
            "by_endpoint": dict(self.by_endpoint),
            "by_status": dict(self.by_status),
            "faults_injected": dict(self.faults_injected),
            "rate_limited": self.rate_limited,
            "in_flight": self.in_flight,
            "max_in_flight": self.max_in_flight,
        }

    def reset_counts(self) -> None:
        self.requests = self.rate_limited = self.max_in_flight = 0
        self.by_endpoint.clear()
        self.by_status.clear()
        self.faults_injected.clear()
