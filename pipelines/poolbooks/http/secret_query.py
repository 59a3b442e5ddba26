"""An httpx transport that adds a secret query parameter (an access key) only on the wire."""

from __future__ import annotations

import httpx

from poolbooks.redaction import Secret

SECRET_QUERY_EXTENSION = "poolbooks.secret_query"  # noqa: S105 (an extension name)


class SecretQueryTransport(httpx.AsyncBaseTransport):
    """Wraps a transport; a request carries its secret as an extension, never in its own URL.

    httpx logs, errors and `response.request` all see the request the client built, so the
    secret appears only in the copy handed to the inner transport, as query parameter
    `name`. The copy is a GET with no body: built without content, not with the original's
    stream, which a transport that cannot read it sends as an empty chunked body.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, name: str) -> None:
        self._inner = inner
        self._name = name

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        secret = request.extensions.get(SECRET_QUERY_EXTENSION)
        if not isinstance(secret, Secret):
            return await self._inner.handle_async_request(request)
        if request.method != "GET":
            raise ValueError(f"a secret is sent on GETs only, not {request.method}")
        extensions = {k: v for k, v in request.extensions.items() if k != SECRET_QUERY_EXTENSION}
        keyed = httpx.Request(
            "GET",
            request.url.copy_add_param(self._name, secret.reveal()),
            headers=request.headers,
            extensions=extensions,
        )
        return await self._inner.handle_async_request(keyed)

    async def aclose(self) -> None:
        await self._inner.aclose()
