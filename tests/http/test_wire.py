"""The bytes on the wire: every GET is a request line and headers, nothing after, on one
keep-alive connection, with the access key in the query string and nowhere else."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from poolbooks.http.settings import ClientSettings
from poolbooks.onchain.esplora import EsploraClient
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.errors import TransportError
from poolbooks.redaction import Secret
from tests.http.raw_server import RawRequest, RawServer, running_raw_server

pytestmark = pytest.mark.anyio

KEY = "wire-test-key-7f3a9c"
PUID = 4242
TXID = "5e" * 32
SETTINGS = ClientSettings(requests_per_second=1000, concurrency=4, timeout_seconds=5)
REPEATS = 3  # requests per connection: enough to see a leftover body in front of the next one
# What httpx and aiohttp put in every GET, in the order they send it.
EXPECTED_HEADERS = [
    ("host", "127.0.0.1:{port}"),
    ("accept-encoding", "gzip, deflate"),
    ("connection", "keep-alive"),
    ("user-agent", "poolbooks/0.1 (+https://github.com/poolbooks/poolbooks)"),
    ("accept", "application/json"),
]
BODY_HEADERS = {"content-type", "content-length", "transfer-encoding"}
ADDRESS = "3WirePayoutAddress1111111111111111"
BODIES: dict[str, dict[str, Any]] = {
    "/v1/account/info": {"user_id": PUID, "user_name": "main", "address": ADDRESS},
    "/v1/account/earn-stats": {
        "total_paid": "5",
        "pending_payouts": "0",
        "last_payment_time": "0",
        "earnings_today": "1",
        "earnings_yesterday": "2",
        "unpaid": "3",
    },
    "/v1/account/earn-history": {
        "page": "2",
        "page_size": "50",
        "page_count": 2,
        "total_count": 51,
        "list": [{"date": 20260101, "earnings": 1000, "payment_time": "0", "paid_amount": 0}],
    },
    "/v1/realtime/hashrate": {
        "shares_15m": "120.50",
        "shares_15m_unit": "T",
        "shares_1d": "118.00",
        "shares_1d_unit": "T",
    },
    "/v1/worker/stats": {
        "workers_active": 10,
        "workers_inactive": 1,
        "workers_dead": 0,
        "workers_total": 11,
        "shares_1m": "1.10",
        "shares_5m": "1.05",
        "shares_15m": "1.00",
        "shares_unit": "P",
    },
    "/public/v1/pool/stats": {
        "shares": {"shares_1m": 1.5, "shares_5m": 1.4, "shares_15m": 1.3, "shares_unit": "E"},
        "workers": 100,
        "users": 10,
    },
    "/public/v1/pool/stats/merge": {
        "shares": {"shares_1m": 2.5, "shares_5m": 2.4, "shares_15m": 2.3, "shares_unit": "E"},
        "workers": 200,
        "users": 20,
    },
}
ESPLORA_TX = {
    "txid": TXID,
    "vout": [{"scriptpubkey_address": ADDRESS, "value": 70_000}],
    "status": {"confirmed": True, "block_height": 900_000, "block_time": 1_767_225_600},
}


def answer(path: str) -> bytes:
    """A valid body for each path the clients ask for."""
    if path == f"/api/tx/{TXID}":
        return json.dumps(ESPLORA_TX).encode()
    return json.dumps({"err_no": 0, "data": BODIES[path]}).encode()


def account(base_url: str) -> Account:
    return Account("main", PUID, "BTC", "us", Secret(KEY), "POOLBOOKS_KEY_MAIN", base_url)


def expected_head(target: str, port: int) -> bytes:
    lines = [f"GET {target} HTTP/1.1"]
    lines += [f"{name}: {value.format(port=port)}" for name, value in EXPECTED_HEADERS]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def assert_bare_gets_on_one_connection(server: RawServer, target: str) -> None:
    """`REPEATS` requests, all on the first socket, each exactly the expected head."""
    assert server.connections == 1
    assert [r.connection for r in server.requests] == [0] * REPEATS
    for request in server.requests:
        assert request.after == b"", "bytes after the head that are not the next request"
        assert request.request_line == f"GET {target} HTTP/1.1"
        assert request.headers == [
            (name, value.format(port=server.port)) for name, value in EXPECTED_HEADERS
        ]
        assert {name.lower() for name, _ in request.headers}.isdisjoint(BODY_HEADERS)
        assert request.head == expected_head(target, server.port)


def assert_key_only_in_query(request: RawRequest) -> None:
    wire = request.head + request.after
    assert wire.count(KEY.encode()) == 1
    _, _, query = request.target.partition("?")
    assert query.endswith(f"&access_key={KEY}")


Call = Callable[[PoolClient, Account], Awaitable[Any]]
POOL_CALLS: list[tuple[str, Call, str]] = [
    ("account_info", lambda c, a: c.account_info(a), "/v1/account/info?puid={puid}"),
    ("earn_stats", lambda c, a: c.earn_stats(a), "/v1/account/earn-stats?puid={puid}"),
    (
        "earn_history_page",
        lambda c, a: c.earn_history_page(a, 2, 50),
        "/v1/account/earn-history?puid={puid}&page=2&page_size=50",
    ),
    ("hashrate", lambda c, a: c.hashrate(a), "/v1/realtime/hashrate?puid={puid}"),
    ("worker_stats", lambda c, a: c.worker_stats(a), "/v1/worker/stats?puid={puid}"),
    ("pool_stats", lambda c, a: c.pool_stats(a), "/public/v1/pool/stats"),
    ("pool_stats_merge", lambda c, a: c.pool_stats(a, merge=True), "/public/v1/pool/stats/merge"),
]


@pytest.mark.parametrize(
    ("call", "target"),
    [(call, target) for _, call, target in POOL_CALLS],
    ids=[name for name, *_ in POOL_CALLS],
)
async def test_pool_endpoint_is_a_bare_get_on_one_keep_alive_connection(
    call: Call, target: str
) -> None:
    with running_raw_server(answer) as server:
        async with PoolClient(SETTINGS) as client:
            for _ in range(REPEATS):
                assert await call(client, account(server.base_url)) is not None
        server.wait_for_hangups()
    keyed = "puid" in target
    expected = target.format(puid=PUID) + (f"&access_key={KEY}" if keyed else "")
    assert_bare_gets_on_one_connection(server, expected)
    for request in server.requests:
        if keyed:
            assert_key_only_in_query(request)
        else:
            assert KEY.encode() not in request.head + request.after


async def test_every_pool_endpoint_parses_what_came_over_one_connection() -> None:
    with running_raw_server(answer) as server:
        acct = account(server.base_url)
        async with PoolClient(SETTINGS) as client:
            info = await client.account_info(acct)
            stats = await client.earn_stats(acct)
            page = await client.earn_history_page(acct, 2, 50)
            rate = await client.hashrate(acct)
            workers = await client.worker_stats(acct)
            pool = await client.pool_stats(acct)
            merged = await client.pool_stats(acct, merge=True)
        server.wait_for_hangups()
    assert info.record.address == ADDRESS and stats.record.unpaid_sat == 3
    assert page.page == 2 and page.total_count == 51 and page.rows[0].earnings_sat == 1000
    assert rate.record.shares_15m_hs == 120.5e12 and workers.record.workers_total == 11
    assert pool.record.workers == 100 and merged.record.shares_1m_hs == 2.5e18
    assert server.connections == 1 and len(server.requests) == 7
    assert all(request.after == b"" for request in server.requests)


async def test_esplora_tx_is_a_bare_get_on_one_keep_alive_connection() -> None:
    with running_raw_server(answer) as server:
        client = EsploraClient(server.base_url + "/api/", SETTINGS)
        try:
            for _ in range(REPEATS):
                tx = await client.transaction("main", TXID, ADDRESS)
                assert tx.found and tx.confirmed and tx.onchain_sat == 70_000
        finally:
            await client.aclose()
        server.wait_for_hangups()
    assert_bare_gets_on_one_connection(server, f"/api/tx/{TXID}")


async def test_a_garbled_answer_is_a_transport_error_that_names_no_key() -> None:
    def garbled(body: bytes) -> bytes:
        return b"HTPT/1.1 200 OK\r\n\r\n"

    settings = ClientSettings(requests_per_second=1000, max_attempts=2, backoff_seconds=0.01)
    with running_raw_server(answer, garbled) as server:
        async with PoolClient(settings) as client:
            with pytest.raises(TransportError, match="gave up after 2 attempts") as info:
                await client.earn_stats(account(server.base_url))
    assert "Bad status line" in str(info.value) and "access_key=***" in str(info.value)
    assert KEY not in str(info.value) and len(server.requests) == 2
