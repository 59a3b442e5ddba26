"""A request rate shared by every process and machine: a token bucket kept in Redis.

One Lua script refills and takes a token atomically, on Redis's own clock, so workers on
several machines, each with its own client, never ask a pool host faster than its limit
together. It answers how long to wait when the bucket is empty.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from poolbooks.redaction import Secret

if TYPE_CHECKING:
    import redis.asyncio as redis

KEY_PREFIX = "poolbooks:rate:"
BUCKET_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate * 1000000)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
return wait
"""


class SharedRateLimiter:
    """`acquire(host)` returns once this request fits under the host's shared rate."""

    def __init__(self, url: Secret, requests_per_second: float, burst: float) -> None:
        self._url = url
        self.requests_per_second = requests_per_second
        self.burst = burst
        self._client: redis.Redis | None = None
        self._script: Any = None

    def __repr__(self) -> str:
        return f"SharedRateLimiter({self.requests_per_second:g}/s)"

    async def acquire(self, host: str) -> None:
        if self._client is None:
            import redis.asyncio as redis  # only deployments that share a rate need Redis

            self._client = redis.Redis.from_url(self._url.reveal())
            self._script = self._client.register_script(BUCKET_LUA)
        while True:
            wait_us = await self._script(
                keys=[KEY_PREFIX + host], args=[self.requests_per_second, self.burst]
            )
            if not wait_us:
                return
            await asyncio.sleep(int(wait_us) / 1_000_000)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
