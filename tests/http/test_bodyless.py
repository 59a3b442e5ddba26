"""GETs without a body: refused with one before the wire, and none reaches any transport."""

from __future__ import annotations

import httpx
import pytest

from poolbooks.http.bodyless import require_bodyless_get
from poolbooks.http.requester import pooled_transport
from poolbooks.onchain.esplora import EsploraClient
from poolbooks.pool_api.client import PoolClient
from tests.http.raw_server import running_raw_server
from tests.http.test_wire import KEY, SETTINGS, TXID, account, answer

pytestmark = pytest.mark.anyio


class StreamCopy(httpx.AsyncBaseTransport):
    """Rebuilds each request with the original's stream, as the access-key wrapper once did."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        copy = httpx.Request(
            request.method, request.url, headers=request.headers, stream=request.stream
        )
        return await self._inner.handle_async_request(copy)

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (
            httpx.Request("GET", "http://h/p", content=b"x"),
            r"GET /p carries a body \(1 bytes and content-length\)",
        ),
        (httpx.Request("GET", "http://h/p", stream=httpx.ByteStream(b"")), r"\(a stream\)"),
        (
            httpx.Request("GET", "http://h/p", headers={"Content-Type": "text/plain"}),
            r"\(no bytes and content-type\)",
        ),
        (
            httpx.Request("GET", "http://h/p", headers={"Transfer-Encoding": "chunked"}),
            r"\(no bytes and transfer-encoding\)",
        ),
    ],
    ids=["content", "stream", "content-type", "transfer-encoding"],
)
def test_a_get_with_a_body_or_body_headers_is_refused(
    request_: httpx.Request, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        require_bodyless_get(request_)


def test_a_bare_get_and_a_post_with_a_body_pass() -> None:
    require_bodyless_get(httpx.Request("GET", "http://h/p", params={"a": 1}))
    require_bodyless_get(httpx.Request("POST", "http://h/p", json={"a": 1}))


async def test_a_get_rebuilt_with_a_stream_is_refused_before_it_reaches_the_wire() -> None:
    with running_raw_server(answer) as server:
        async with PoolClient(SETTINGS, transport=StreamCopy(pooled_transport(1))) as client:
            with pytest.raises(ValueError, match="earn-stats carries a body") as info:
                await client.earn_stats(account(server.base_url))
        server.wait_for_hangups()
    assert KEY not in str(info.value)
    assert server.connections == 0 and server.requests == []


async def test_every_transport_is_handed_gets_with_no_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=answer(request.url.path))

    transport = httpx.MockTransport(handler)
    async with PoolClient(SETTINGS, transport=transport) as client:
        await client.account_info(account("http://pool.test"))
        await client.pool_stats(account("http://pool.test"))
    esplora = EsploraClient("http://chain.test/api", SETTINGS, transport=transport)
    await esplora.transaction("main", TXID, None)
    await esplora.aclose()
    assert [r.url.path for r in seen] == [
        "/v1/account/info",
        "/public/v1/pool/stats",
        f"/api/tx/{TXID}",
    ]
    for request in seen:
        assert request.method == "GET" and request.content == b""
        assert not {"content-type", "content-length", "transfer-encoding"} & set(request.headers)
