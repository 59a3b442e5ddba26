"""The requester's retries: a refused connection is said at once and not retried (nothing
listens there); a connection reset after it was accepted may pass and is retried."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

from harness.loopback import free_port
from poolbooks.http.errors import ConnectionRefused, TransportError
from poolbooks.http.requester import Call, Requester, pooled_transport

pytestmark = pytest.mark.anyio

TRANSPORTS = {
    "aiohttp (the real one)": lambda: pooled_transport(2),
    "httpx's own": lambda: httpx.AsyncHTTPTransport(),
}


async def no_wait(seconds: float) -> None:
    pass


def requester(transport: httpx.AsyncBaseTransport) -> Requester:
    return Requester(max_attempts=4, backoff_base=0.001, transport=transport, sleep=no_wait)


@contextmanager
def resetting_server() -> Iterator[int]:
    """A loopback port that accepts every connection and resets it at once."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()  # linger 0: an RST, not a FIN

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


@pytest.mark.parametrize("make_transport", TRANSPORTS.values(), ids=TRANSPORTS.keys())
@pytest.mark.parametrize("server", ["pool", "Esplora"])
async def test_a_refused_connection_is_one_line_at_once_without_retries(
    make_transport: Callable[[], httpx.AsyncBaseTransport], server: str
) -> None:
    port = free_port()
    client = requester(make_transport())
    call = Call(f"http://127.0.0.1:{port}/v1/account/info", "main", "account-info", server=server)
    try:
        with pytest.raises(ConnectionRefused) as info:
            await client.fetch(call, lambda status, body: body)
    finally:
        await client.aclose()
    assert str(info.value) == (
        f"account 'main', endpoint account-info: cannot connect to http://127.0.0.1:{port}: "
        f"connection refused (is the {server} running?)"
    )
    assert (client.stats.requests, client.stats.retries) == (1, 0)
    assert not info.value.retryable


@pytest.mark.parametrize("make_transport", TRANSPORTS.values(), ids=TRANSPORTS.keys())
async def test_a_reset_connection_is_still_retried(
    make_transport: Callable[[], httpx.AsyncBaseTransport],
) -> None:
    with resetting_server() as port:
        client = requester(make_transport())
        call = Call(f"http://127.0.0.1:{port}/v1/account/info", "main", "account-info")
        try:
            with pytest.raises(TransportError) as info:
                await client.fetch(call, lambda status, body: body)
        finally:
            await client.aclose()
    assert not isinstance(info.value, ConnectionRefused)
    assert "(gave up after 4 attempts)" in str(info.value)
    assert (client.stats.requests, client.stats.retries) == (4, 3)
