"""The async BTC.com pool API v1 client: seven endpoints, typed records, retries, throttling."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, tzinfo
from types import TracebackType
from typing import Self, TypeVar

import httpx

from poolbooks.http.requester import (
    Call,
    Requester,
    RequestStats,
    pooled_transport,
    shared_limiter,
)
from poolbooks.http.secret_query import SECRET_QUERY_EXTENSION, SecretQueryTransport
from poolbooks.http.settings import ClientSettings
from poolbooks.pool_api import earn_history, endpoints
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.endpoints import Endpoint, SnapshotEndpoint
from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.errors import keeping_body
from poolbooks.pool_api.records import (
    AccountInfo,
    EarnHistoryPage,
    EarnStats,
    Fetched,
    Hashrate,
    PoolStats,
    SnapshotRecord,
    WorkerStats,
)

T = TypeVar("T", bound=SnapshotRecord)

DEFAULT_PAGE_SIZE = 50


class PoolClient:
    """One pooled connection set for all accounts; use as `async with PoolClient(...) as c`."""

    def __init__(
        self,
        settings: ClientSettings | None = None,
        *,
        timezone: tzinfo = UTC,
        transport: httpx.AsyncBaseTransport | None = None,
        backoff_base: float | None = None,
        backoff_cap: float | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        settings = settings or ClientSettings()
        self.timezone = timezone
        # stamps every answer's `fetched_at`; tests in simulated time pass the pool's clock
        self.clock = clock
        self._requester = Requester.from_settings(
            settings,
            SecretQueryTransport(transport or pooled_transport(settings.concurrency), "access_key"),
            backoff_base=settings.backoff_seconds if backoff_base is None else backoff_base,
            backoff_cap=settings.backoff_cap_seconds if backoff_cap is None else backoff_cap,
            sleep=sleep,
            shared_limiter=shared_limiter(settings),
        )

    def __repr__(self) -> str:
        return f"PoolClient(timezone={self.timezone!s}, {self._requester!r})"

    @property
    def stats(self) -> RequestStats:
        return self._requester.stats

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._requester.aclose()

    async def account_info(self, account: Account) -> Fetched[AccountInfo]:
        return await self.snapshot(account, endpoints.ACCOUNT_INFO)

    async def earn_stats(self, account: Account) -> Fetched[EarnStats]:
        return await self.snapshot(account, endpoints.EARN_STATS)

    async def hashrate(self, account: Account) -> Fetched[Hashrate]:
        return await self.snapshot(account, endpoints.HASHRATE)

    async def worker_stats(self, account: Account) -> Fetched[WorkerStats]:
        return await self.snapshot(account, endpoints.WORKER_STATS)

    async def pool_stats(self, account: Account, merge: bool = False) -> Fetched[PoolStats]:
        """Public pool statistics of the account's host (all nodes with `merge`)."""
        return await self.snapshot(
            account, endpoints.POOL_STATS_MERGE if merge else endpoints.POOL_STATS
        )

    async def earn_history_page(
        self, account: Account, page: int, page_size: int = DEFAULT_PAGE_SIZE
    ) -> EarnHistoryPage:
        where = Where(account.name, endpoints.EARN_HISTORY.name, page)
        params: dict[str, str | int] = {"page": page, "page_size": page_size}
        call = self._call(account, endpoints.EARN_HISTORY, params)

        def parse(status: int, raw: bytes) -> EarnHistoryPage:
            at = self.clock()
            with keeping_body(raw, at):
                return earn_history.parse_earn_history_page(raw, where, self.timezone, at)

        return await self._requester.fetch(call, parse)

    async def snapshot(self, account: Account, endpoint: SnapshotEndpoint[T]) -> Fetched[T]:
        """One answer of a point-in-time endpoint, read by the endpoint's parser."""
        where = Where(account.name, endpoint.name)

        def parse(status: int, raw: bytes) -> Fetched[T]:
            at = self.clock()
            with keeping_body(raw, at):
                return Fetched(endpoint.parse(raw, where), raw, at)

        return await self._requester.fetch(self._call(account, endpoint), parse)

    def _call(
        self, account: Account, endpoint: Endpoint, extra: dict[str, str | int] | None = None
    ) -> Call:
        params: dict[str, str | int] = {}
        extensions = {}
        if endpoint.needs_key:
            params["puid"] = account.puid
            extensions[SECRET_QUERY_EXTENSION] = account.access_key
        params.update(extra or {})
        return Call(
            url=account.api_base_url + endpoint.path,
            account=account.name,
            endpoint=endpoint.name,
            params=params,
            extensions=extensions,
            server="pool",
        )
