"""The client's envelope handling, retry classes, Retry-After and final errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from poolbooks.http.settings import ClientSettings
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.errors import (
    AuthError,
    BadResponse,
    HttpStatusError,
    RateLimited,
    ServerError,
    TransportError,
)
from poolbooks.redaction import Secret
from tests.conftest import Sim

pytestmark = pytest.mark.anyio

ACCOUNT = Account(
    name="main",
    puid=88888,
    coin="BTC",
    region="us",
    access_key=Secret("client-test-key"),
    access_key_env="KEY",
    base_url="http://pool.test",
)
OK_STATS = (
    b'{"err_no":0,"data":{"total_paid":"5","pending_payouts":"0","last_payment_time":"0",'
    b'"earnings_today":"1","earnings_yesterday":"2","unpaid":"3"}}'
)
Responder = Callable[[httpx.Request], Awaitable[httpx.Response]]


class Script:
    """A mock pool that answers from a list, then with success; records what it saw."""

    def __init__(self, *answers: Callable[[], httpx.Response] | Exception) -> None:
        self.answers = list(answers)
        self.seen: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if self.answers:
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer()
        return httpx.Response(200, content=OK_STATS)


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client_for(script: Script, sleeps: Sleeps, attempts: int = 4, timeout: float = 5) -> PoolClient:
    settings = ClientSettings(
        requests_per_second=1000, concurrency=4, timeout_seconds=timeout, max_attempts=attempts
    )
    return PoolClient(
        settings,
        transport=httpx.MockTransport(script),
        backoff_base=0.5,
        backoff_cap=4,
        sleep=sleeps,
    )


def status(code: int, **headers: str) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(code, headers=headers, content=b"error")


async def test_key_and_puid_travel_in_the_query_string() -> None:
    script, sleeps = Script(), Sleeps()
    async with client_for(script, sleeps) as client:
        fetched = await client.earn_stats(ACCOUNT)
    assert fetched.record.total_paid_sat == 5
    (request,) = script.seen
    assert request.url.path == "/v1/account/earn-stats"
    assert request.url.params["puid"] == "88888"
    assert request.url.params["access_key"] == "client-test-key"


@pytest.mark.parametrize(
    "failure",
    [
        status(408),
        status(500),
        status(502),
        status(503),
        status(504),
        status(429),
        lambda: httpx.Response(200, content=b"<html>oops</html>"),
        lambda: httpx.Response(200, content=b'{"err_no":0,"data":{"total'),
        lambda: httpx.Response(200, content=b'{"err_no":10001,"err_msg":"busy","data":null}'),
        httpx.ConnectError("connection refused"),
        httpx.ReadError("connection reset by peer"),
        httpx.RemoteProtocolError("peer closed connection"),
        ConnectionResetError("reset"),
    ],
    ids=[
        "408",
        "500",
        "502",
        "503",
        "504",
        "429",
        "html",
        "truncated-json",
        "err_no",
        "connect",
        "read",
        "protocol",
        "reset",
    ],
)
async def test_transient_failures_are_retried_then_succeed(
    failure: Callable[[], httpx.Response] | Exception,
) -> None:
    script, sleeps = Script(failure, failure), Sleeps()
    async with client_for(script, sleeps) as client:
        fetched = await client.earn_stats(ACCOUNT)
        assert client.stats.retries == 2
    assert fetched.record.unpaid_sat == 3
    assert len(script.seen) == 3
    assert len(sleeps.waits) == 2


async def test_timeouts_are_retried() -> None:
    calls = 0

    async def slow_then_fast(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            await asyncio.sleep(5)
        return httpx.Response(200, content=OK_STATS)

    sleeps = Sleeps()
    client = PoolClient(
        ClientSettings(timeout_seconds=0.05, max_attempts=3),
        transport=httpx.MockTransport(slow_then_fast),
        sleep=sleeps,
    )
    async with client:
        assert (await client.earn_stats(ACCOUNT)).record.total_paid_sat == 5
    assert calls == 2


async def test_backoff_is_exponential_jittered_and_capped() -> None:
    script, sleeps = Script(*[status(503)] * 6), Sleeps()
    async with client_for(script, sleeps, attempts=7) as client:
        await client.earn_stats(ACCOUNT)
    ceilings = [0.5, 1, 2, 4, 4, 4]
    assert len(sleeps.waits) == 6
    for wait, ceiling in zip(sleeps.waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling
    assert len(set(sleeps.waits[3:])) == 3  # jittered: the capped waits are not one number


async def test_auth_error_fails_fast_without_retry() -> None:
    auth = lambda: httpx.Response(  # noqa: E731
        200, content=b'{"err_no":20001,"err_msg":"permissions denied","data":null}'
    )
    script, sleeps = Script(auth, auth), Sleeps()
    async with client_for(script, sleeps) as client:
        with pytest.raises(AuthError) as info:
            await client.earn_stats(ACCOUNT)
    assert len(script.seen) == 1 and sleeps.waits == []
    assert str(info.value) == (
        "account 'main', endpoint earn-stats: err_no 20001: permissions denied"
    )


@pytest.mark.parametrize("code", [401, 403])
async def test_http_401_and_403_are_auth_errors(code: int) -> None:
    script, sleeps = Script(status(code)), Sleeps()
    async with client_for(script, sleeps) as client:
        with pytest.raises(AuthError):
            await client.earn_stats(ACCOUNT)
    assert len(script.seen) == 1


async def test_other_4xx_is_final() -> None:
    script, sleeps = Script(status(404)), Sleeps()
    async with client_for(script, sleeps) as client:
        with pytest.raises(HttpStatusError) as info:
            await client.earn_stats(ACCOUNT)
    assert info.value.status == 404 and len(script.seen) == 1


async def test_retry_after_in_seconds_is_honoured() -> None:
    script, sleeps = Script(status(429, **{"Retry-After": "7"})), Sleeps()
    async with client_for(script, sleeps) as client:
        await client.earn_stats(ACCOUNT)
        assert client.stats.rate_limited == 1
    (wait,) = sleeps.waits
    assert 7 <= wait < 7.1


async def test_retry_after_as_http_date_is_honoured() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    script, sleeps = Script(status(429, **{"Retry-After": when})), Sleeps()
    async with client_for(script, sleeps) as client:
        await client.earn_stats(ACCOUNT)
    (wait,) = sleeps.waits
    assert 18 <= wait <= 20.1


async def test_final_error_names_endpoint_account_cause_and_attempts() -> None:
    script, sleeps = Script(*[status(503)] * 10), Sleeps()
    async with client_for(script, sleeps, attempts=3) as client:
        with pytest.raises(ServerError) as info:
            await client.earn_stats(ACCOUNT)
    assert len(script.seen) == 3
    assert str(info.value) == (
        "account 'main', endpoint earn-stats: HTTP 503 Service Unavailable "
        "(gave up after 3 attempts)"
    )


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (status(429, **{"Retry-After": "0"}), RateLimited),
        (httpx.ConnectError("refused"), TransportError),
        (lambda: httpx.Response(200, content=b"<html>"), BadResponse),
    ],
)
async def test_attempts_are_bounded_for_every_retry_class(
    failure: Callable[[], httpx.Response] | Exception, kind: type[Exception]
) -> None:
    script, sleeps = Script(*[failure] * 10), Sleeps()
    async with client_for(script, sleeps, attempts=4) as client:
        with pytest.raises(kind, match="gave up after 4 attempts"):
            await client.earn_stats(ACCOUNT)
    assert len(script.seen) == 4


async def test_all_seven_endpoints_reach_their_paths(sim_client: PoolClient, sim: Sim) -> None:
    account = sim.accounts[0]
    info = await sim_client.account_info(account)
    stats = await sim_client.earn_stats(account)
    rate = await sim_client.hashrate(account)
    workers = await sim_client.worker_stats(account)
    pool = await sim_client.pool_stats(account)
    merged = await sim_client.pool_stats(account, merge=True)
    page = await sim_client.earn_history_page(account, 1, 50)
    assert info.record.address == sim.pool.accounts[0].address
    assert stats.record.total_paid_sat > 0
    assert rate.record.shares_15m_hs > 0 and workers.record.workers_total > 0
    assert merged.record.shares_15m_hs > pool.record.shares_15m_hs
    assert len(page.rows) == 50
    assert page.total_count == len(sim.pool.earn_history_rows(sim.pool.accounts[0])) > 120
    assert sim.state.by_endpoint == {
        "account-info": 1,
        "earn-stats": 1,
        "hashrate": 1,
        "worker-stats": 1,
        "pool-stats": 1,
        "pool-stats-merge": 1,
        "earn-history": 1,
    }
