"""The simulator served by the standard library's `http.server`: a second, stricter HTTP stack.

`http.server` reads a request line, headers and, for a body, `Content-Length` bytes, and
nothing else: bytes a client leaves after its head (a chunked body on a GET) are read as the
next request line, and answered `400 Bad request syntax`. uvicorn tolerates them. Each
request runs the ASGI app on one event loop in a background thread; the handler thread writes
the answer: with the app's `Content-Length` as it comes, or else chunked.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.types import Message

from poolbooks.simulator.running import RunningSimulator

# What the app sends into the handler thread: ASGI messages, then the error it raised or None.
Outcome = Message | BaseException | None


class AsgiHttpServer(ThreadingHTTPServer):
    """A threading HTTP/1.1 server that runs `app` on `loop` for every request."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: Starlette) -> None:
        super().__init__(address, AsgiHandler)
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-request is no error of the server's: stay quiet."""

    def drop_connections(self) -> None:
        with self.lock:
            for conn in self.open:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)


class AsgiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: AsgiHttpServer

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.open.add(self.connection)

    def finish(self) -> None:
        with self.server.lock:
            self.server.open.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _scope(self) -> dict[str, Any]:
        raw_path, _, query = self.path.partition("?")
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": self.request_version.removeprefix("HTTP/"),
            "method": self.command,
            "scheme": "http",
            "path": unquote(raw_path),
            "raw_path": raw_path.encode("latin-1"),
            "query_string": query.encode("latin-1"),
            "root_path": "",
            "headers": [
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in self.headers.items()
            ],
            "client": self.client_address[:2],
            "server": self.server.server_address[:2],
        }

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        outcomes: queue.Queue[Outcome] = queue.Queue()
        gone = asyncio.Event()  # set on the loop when the client is gone or the answer is out
        future = asyncio.run_coroutine_threadsafe(
            _run_app(self.server.app, self._scope(), body, outcomes, gone), self.server.loop
        )
        try:
            self._answer(outcomes)
        except OSError:  # the client hung up, or the app reset the connection
            self.close_connection = True
            future.cancel()
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
        finally:
            self.server.loop.call_soon_threadsafe(gone.set)

    def _answer(self, outcomes: queue.Queue[Outcome]) -> None:
        """Write what the app sends: status line, headers, body; raise OSError to hang up."""
        started = chunked = False
        while True:
            outcome = outcomes.get()
            if outcome is None:
                return
            if isinstance(outcome, BaseException):
                if isinstance(outcome, Exception) and not started:
                    self.send_error(500)
                    return
                raise ConnectionAbortedError("the app failed mid-answer") from outcome
            if outcome["type"] == "http.response.start":
                started, chunked = True, self._start(outcome)
            elif outcome["type"] == "http.response.body":
                self._body(outcome.get("body", b""), chunked, outcome.get("more_body", False))

    def _start(self, message: Message) -> bool:
        """The status line and headers; True when the body goes chunked."""
        self.send_response(message["status"])
        names = set()
        for name, value in message.get("headers", []):
            names.add(name.lower())
            self.send_header(name.decode("latin-1"), value.decode("latin-1"))
        chunked = b"content-length" not in names
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        return chunked

    def _body(self, data: bytes, chunked: bool, more: bool) -> None:
        if chunked and data:
            data = f"{len(data):X}\r\n".encode() + data + b"\r\n"
        if chunked and not more:
            data += b"0\r\n\r\n"
        if data:
            self.wfile.write(data)


async def _run_app(
    app: Starlette,
    scope: dict[str, Any],
    body: bytes,
    outcomes: queue.Queue[Outcome],
    gone: asyncio.Event,
) -> None:
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        outcomes.put(message)

    try:
        await app(scope, receive, send)
    except BaseException as exc:
        outcomes.put(exc)
        raise
    outcomes.put(None)


@contextmanager
def running_stdlib_simulator(
    app: Starlette, host: str = "127.0.0.1", port: int = 0
) -> Iterator[RunningSimulator]:
    """Serve `app` with `http.server` on `port` (0: a free one) for a `with` block."""
    server = AsgiHttpServer((host, port), app)
    loop_thread = threading.Thread(target=server.loop.run_forever, daemon=True)
    serve_thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    loop_thread.start()
    serve_thread.start()
    try:
        yield RunningSimulator(app, host, server.server_address[1])
    finally:
        server.shutdown()
        server.drop_connections()
        _cancel_all(server.loop)
        deadline = time.monotonic() + 5
        while server.open and time.monotonic() < deadline:
            time.sleep(0.01)
        server.loop.call_soon_threadsafe(server.loop.stop)
        loop_thread.join(5)
        server.server_close()
        server.loop.close()


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel the requests still running on `loop` (a stalled answer nobody waits for)."""

    async def cancel() -> None:
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()

    done: Future[None] = asyncio.run_coroutine_threadsafe(cancel(), loop)
    done.result(5)
