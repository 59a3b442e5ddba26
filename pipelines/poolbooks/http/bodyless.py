"""GETs go on the wire as a request line and headers only; a GET with a body is refused."""

from __future__ import annotations

import httpx

# Headers that announce a body; a GET sends none of them.
BODY_HEADERS = ("content-type", "content-length", "transfer-encoding")


def require_bodyless_get(request: httpx.Request) -> None:
    """Raise ValueError when a GET carries a body, a stream, or a header announcing one.

    A request rebuilt with `stream=` has no known content: aiohttp sends it chunked, an empty
    `0` chunk that a keep-alive server reads as the start of the next request. The message
    names the path only: the query may hold the access key.
    """
    if request.method != "GET":
        return
    announced = [name for name in BODY_HEADERS if name in request.headers]
    try:
        content: bytes | None = request.content
    except httpx.RequestNotRead:
        content = None
    if content == b"" and not announced:
        return
    body = "a stream" if content is None else f"{len(content)} bytes" if content else "no bytes"
    headers = f" and {', '.join(announced)}" if announced else ""
    raise ValueError(
        f"GET {request.url.path} carries a body ({body}{headers}): GETs are sent without one"
    )


class BodylessGets(httpx.AsyncBaseTransport):
    """Wraps the network transport: every GET is checked just before it goes on the wire."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        require_bodyless_get(request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
