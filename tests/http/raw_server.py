"""A raw-socket HTTP/1.1 server for tests: keeps every byte a client sends, answers 200 JSON."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

REQUEST_LINE = re.compile(rb"[A-Z]+ [^ \r\n]+ HTTP/1\.[01]\r\n")
HEAD_END = b"\r\n\r\n"


@dataclass
class RawRequest:
    """One request as it came off the socket: its head byte for byte, and what followed it."""

    connection: int  # the order in which the server accepted the request's socket, from 0
    head: bytes  # the request line and header lines, up to and including the blank line
    after: bytes = b""  # bytes after the head that are not the next request line (a body)

    @property
    def request_line(self) -> str:
        return self.head.split(b"\r\n", 1)[0].decode("latin-1")

    @property
    def target(self) -> str:
        return self.request_line.split(" ")[1]

    @property
    def headers(self) -> list[tuple[str, str]]:
        lines = self.head[: -len(HEAD_END)].decode("latin-1").split("\r\n")[1:]
        return [(name, value.strip()) for name, _, value in (ln.partition(":") for ln in lines)]


def ok_response(body: bytes) -> bytes:
    head = (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: keep-alive\r\n"
        "\r\n"
    )
    return head.encode() + body


@dataclass
class RawServer:
    """Accepts connections on a loopback port; `answer(path)` gives each response's body,
    `frame(body)` the whole response (by default a 200 with Content-Length, kept alive)."""

    answer: Callable[[str], bytes]
    frame: Callable[[bytes], bytes] = ok_response
    port: int = 0

    def __post_init__(self) -> None:
        self.requests: list[RawRequest] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)

    def wait_for_hangups(self, timeout: float = 5) -> None:
        """Wait until every client has closed its connection: then all its bytes are in."""
        for thread in list(self._threads[1:]):
            thread.join(timeout)
            if thread.is_alive():
                raise AssertionError("a client kept its connection open")

    def stop(self) -> None:
        """Stop accepting and drop the connections clients left open."""
        for sock in [self._listener, *self._sockets]:
            with contextlib.suppress(OSError):  # already closed by the client
                sock.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for thread in self._threads:
            thread.join(5)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                number, self.connections = self.connections, self.connections + 1
                self._sockets.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn, number), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket, number: int) -> None:
        buffer = b""
        last: RawRequest | None = None
        with conn:
            while data := _receive(conn):
                buffer += data
                buffer, last = self._take_requests(conn, number, buffer, last)
        if last is not None:
            last.after += buffer

    def _take_requests(
        self, conn: socket.socket, number: int, buffer: bytes, last: RawRequest | None
    ) -> tuple[bytes, RawRequest | None]:
        """Answer each complete head in `buffer`; bytes before a request line belong to the
        request before it. Returns what is left and the last request seen."""
        while buffer:
            start = REQUEST_LINE.search(buffer)
            if start is None:
                return buffer, last  # a body, or a request line not all here yet
            if start.start() > 0 and last is not None:
                last.after += buffer[: start.start()]
            buffer = buffer[start.start() :]
            end = buffer.find(HEAD_END)
            if end < 0:
                return buffer, last
            last = RawRequest(number, buffer[: end + len(HEAD_END)])
            buffer = buffer[end + len(HEAD_END) :]
            with self._lock:
                self.requests.append(last)
            conn.sendall(self.frame(self.answer(urlsplit(last.target).path)))
        return buffer, last


def _receive(conn: socket.socket) -> bytes:
    try:
        return conn.recv(65536)
    except OSError:
        return b""  # dropped by stop()


@contextmanager
def running_raw_server(
    answer: Callable[[str], bytes], frame: Callable[[bytes], bytes] = ok_response
) -> Iterator[RawServer]:
    server = RawServer(answer, frame)
    server.start()
    try:
        yield server
    finally:
        server.stop()
