"""Client-side limits: requests per second per host and requests in flight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiolimiter import AsyncLimiter

from poolbooks.http.shared_limiter import SharedRateLimiter

# The limiter lets at most this many seconds of requests go out at once, half what a pool's
# one-second bucket allows, so that requests bunched up by the network still fit under it.
BURST_SECONDS = 0.5


def burst_for(requests_per_second: float) -> float:
    """How many requests may go out at once at this rate (never less than one)."""
    return max(1.0, requests_per_second * BURST_SECONDS)


class HostThrottle:
    """Per-host leaky buckets plus one semaphore; made lazily inside the running event loop.

    With a shared limiter (Redis), the per-host rate is taken from it instead, so that it
    holds across processes and machines; the semaphore stays per process.
    """

    def __init__(
        self,
        requests_per_second: float,
        concurrency: int,
        shared: SharedRateLimiter | None = None,
    ) -> None:
        self.requests_per_second = requests_per_second
        self.concurrency = concurrency
        self.shared = shared
        self._limiters: dict[str, AsyncLimiter] = {}
        self._slots: asyncio.Semaphore | None = None

    def _limiter(self, host: str) -> AsyncLimiter:
        limiter = self._limiters.get(host)
        if limiter is None:
            burst = burst_for(self.requests_per_second)
            limiter = AsyncLimiter(burst, burst / self.requests_per_second)
            self._limiters[host] = limiter
        return limiter

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Wait for a free slot and for the host's rate, then hold the slot for one request."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)
        async with self._slots:
            if self.shared is not None:
                await self.shared.acquire(host)
            else:
                await self._limiter(host).acquire()
            yield

    async def aclose(self) -> None:
        if self.shared is not None:
            await self.shared.aclose()
