"""An httpx transport that adds the access key to the query string only on the wire."""

from __future__ import annotations

import httpx

from pipelines.redaction import Secret

ACCESS_KEY_EXTENSION = "poolbooks.access_key"


class AccessKeyTransport(httpx.AsyncBaseTransport):
    """Wraps a transport; requests carry the key as an extension, never in their own URL.

    httpx logs, errors and `response.request` all see the request the client built, so
    the key appears only in the copy handed to the inner transport. The copy is a GET with
    no body: built without content, not with the original's stream, which a transport that
    cannot read it sends as an empty chunked body.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = request.extensions.get(ACCESS_KEY_EXTENSION)
        if not isinstance(key, Secret):
            return await self._inner.handle_async_request(request)
        if request.method != "GET":
            raise ValueError(f"the access key is sent on GETs only, not {request.method}")
        extensions = {k: v for k, v in request.extensions.items() if k != ACCESS_KEY_EXTENSION}
        keyed = httpx.Request(
            "GET",
            request.url.copy_add_param("access_key", key.reveal()),
            headers=request.headers,
            extensions=extensions,
        )
        return await self._inner.handle_async_request(keyed)

    async def aclose(self) -> None:
        await self._inner.aclose()
