"""One pooled httpx client that sends GETs with throttling, a deadline and bounded retries."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp
import anyio
import httpx
from httpx_aiohttp import AiohttpTransport
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from poolbooks.http.bodyless import BodylessGets, require_bodyless_get
from poolbooks.http.errors import (
    AccessRefused,
    ConnectionRefused,
    HttpStatusError,
    RateLimited,
    RequestError,
    ServerError,
    TransportError,
)
from poolbooks.http.refused import is_refused, origin
from poolbooks.http.retry_after import retry_after_seconds
from poolbooks.http.settings import (
    DEFAULT_BACKOFF_BASE,
    DEFAULT_BACKOFF_CAP,
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_RETRY_AFTER,
    DEFAULT_REQUESTS_PER_SECOND,
    DEFAULT_TIMEOUT,
    ClientSettings,
)
from poolbooks.http.shared_limiter import SharedRateLimiter
from poolbooks.http.throttle import HostThrottle, burst_for
from poolbooks.redaction import install_log_redaction, redact

T = TypeVar("T")

USER_AGENT = "poolbooks/0.1 (+https://github.com/poolbooks/poolbooks)"
RETRY_STATUSES = frozenset({408, 500, 502, 503, 504}) | frozenset(range(505, 600))


@dataclass
class RequestStats:
    """What a client did, for logs, Dagster metadata and benchmarks."""

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    by_endpoint: dict[str, int] = field(default_factory=dict)

    def count(self, endpoint: str, status: int | None) -> None:
        self.requests += 1
        self.by_endpoint[endpoint] = self.by_endpoint.get(endpoint, 0) + 1
        if status is not None:
            self.by_status[status] = self.by_status.get(status, 0) + 1
            if status == 429:
                self.rate_limited += 1


@dataclass(frozen=True)
class Call:
    """One logical GET: where it goes and whom an error should name; `server` is what
    answers there, as a refused connection names it ("is the pool running?")."""

    url: str
    account: str
    endpoint: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    extensions: Mapping[str, Any] = field(default_factory=dict)
    server: str = "server"


class Requester:
    """Throttled, deadline-bound, retried GETs over one pooled `httpx.AsyncClient`."""

    def __init__(
        self,
        *,
        requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: float = DEFAULT_TIMEOUT,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        backoff_base: float = DEFAULT_BACKOFF_BASE,
        backoff_cap: float = DEFAULT_BACKOFF_CAP,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        shared_limiter: SharedRateLimiter | None = None,
    ) -> None:
        install_log_redaction()
        self._sleep = sleep
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self.stats = RequestStats()
        self._throttle = HostThrottle(requests_per_second, concurrency, shared_limiter)
        self._client = httpx.AsyncClient(
            transport=transport or pooled_transport(concurrency),
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )

    @classmethod
    def from_settings(
        cls,
        settings: ClientSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        **overrides: Any,
    ) -> Requester:
        """A requester as `[client]` settings describe it (each source's client makes one):
        `transport` defaults to the pooled one; `overrides` replace single arguments."""
        arguments: dict[str, Any] = {
            "requests_per_second": settings.requests_per_second,
            "concurrency": settings.concurrency,
            "timeout": settings.timeout_seconds,
            "max_attempts": settings.max_attempts,
            "backoff_base": settings.backoff_seconds,
            "backoff_cap": settings.backoff_cap_seconds,
            "transport": transport or pooled_transport(settings.concurrency),
        }
        return cls(**(arguments | overrides))

    def __repr__(self) -> str:
        return f"Requester(requests={self.stats.requests}, retries={self.stats.retries})"

    async def aclose(self) -> None:
        await self._client.aclose()
        await self._throttle.aclose()

    async def fetch(
        self,
        call: Call,
        parse: Callable[[int, bytes], T],
        ok_statuses: frozenset[int] = frozenset({200}),
    ) -> T:
        """Send `call` until `parse(status, body)` succeeds or a final error is raised."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(_is_retryable),
            before_sleep=self._count_retry,
            sleep=self._sleep,
            reraise=True,
        )
        attempts = 0
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    status, body = await self._attempt(call, ok_statuses)
                    return parse(status, body)
        except RequestError as exc:
            if exc.retryable and attempts > 1:
                raise exc.after_attempts(attempts) from exc
            raise
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def _attempt(self, call: Call, ok_statuses: frozenset[int]) -> tuple[int, bytes]:
        host = urlsplit(call.url).netloc
        async with self._throttle.slot(host):
            try:
                with anyio.fail_after(self.timeout):
                    response = await self._client.send(self._request(call))
            except TimeoutError:
                self.stats.count(call.endpoint, None)
                raise TransportError(
                    call.account, call.endpoint, f"timed out after {self.timeout:g}s"
                ) from None
            except (httpx.TransportError, aiohttp.ClientError, OSError) as exc:
                # aiohttp's protocol errors (a bad status line) pass httpx_aiohttp unmapped,
                # with the wire URL, key and all, in their message
                self.stats.count(call.endpoint, None)
                if is_refused(exc):
                    where = origin(call.url)
                    raise ConnectionRefused(
                        call.account,
                        call.endpoint,
                        f"cannot connect to {where}: connection refused "
                        f"(is the {call.server} running?)",
                    ) from None
                raise TransportError(
                    call.account, call.endpoint, f"{type(exc).__name__}: {redact(str(exc))}"
                ) from exc
        self.stats.count(call.endpoint, response.status_code)
        status = response.status_code
        if status in ok_statuses:
            return status, response.content
        raise _status_error(call, response)

    def _request(self, call: Call) -> httpx.Request:
        """The GET for `call`: no body, whatever transport it is handed to."""
        request = self._client.build_request(
            "GET", call.url, params=call.params, extensions=dict(call.extensions)
        )
        require_bodyless_get(request)
        return request

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, RateLimited) and error.retry_after is not None:
            return min(error.retry_after, self.max_retry_after) + random.uniform(0, 0.05)
        exponential: float = self.backoff_base * 2.0 ** (state.attempt_number - 1)
        return min(self.backoff_cap, exponential) * random.uniform(0.5, 1.0)

    def _count_retry(self, state: RetryCallState) -> None:
        self.stats.retries += 1


def shared_limiter(settings: ClientSettings) -> SharedRateLimiter | None:
    """The Redis-kept rate for these settings, when they name one."""
    if settings.limiter_url is None:
        return None
    rate = settings.requests_per_second
    return SharedRateLimiter(settings.limiter_url, rate, burst_for(rate))


def pooled_transport(concurrency: int) -> httpx.AsyncBaseTransport:
    """The real network transport: keep-alive connections, as many as requests in flight.

    httpx's API over aiohttp's connection pool and C HTTP parser: httpcore's pool re-checks
    every connection on every request, so at high rates the client's own CPU, not the pool's
    limit, would bound an ingest (benchmarks/README.md, C1). Every GET is checked for a body
    on its way in, after any wrapper has rebuilt it.
    """
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return BodylessGets(AiohttpTransport(limits=limits, trust_env=False))


def _is_retryable(error: BaseException) -> bool:
    return isinstance(error, RequestError) and error.retryable


def _status_error(call: Call, response: httpx.Response) -> RequestError:
    status = response.status_code
    reason = f"HTTP {status} {response.reason_phrase}".strip()
    if status == 429:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        return RateLimited(call.account, call.endpoint, reason, retry_after=wait)
    if status in RETRY_STATUSES:
        return ServerError(call.account, call.endpoint, status, reason)
    if status in (401, 403):
        return AccessRefused(call.account, call.endpoint, f"{reason}: the server refused the key")
    return HttpStatusError(call.account, call.endpoint, status, reason)
