"""Telling a refused connection (nothing listens there) from a failure that may pass."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_refused(error: BaseException) -> bool:
    """Whether a transport error comes from a refused TCP connect, as a closed port answers.
    The refusal sits somewhere in the chain of causes (httpx's, aiohttp's, the socket's)."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return True
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return False


def origin(url: str) -> str:
    """`scheme://host:port` of a URL: where the connection went, without path or query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
