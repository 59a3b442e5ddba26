"""Typed errors of the pool API client; every message names the account and the endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from poolbooks.http.errors import (
    AccessRefused,
    BadResponse,
    HttpStatusError,
    MalformedData,
    RateLimited,
    RequestError,
    ServerError,
    TransportError,
)

__all__ = [
    "ApiError",
    "AuthError",
    "BadResponse",
    "HttpStatusError",
    "MalformedData",
    "PaginationError",
    "PoolApiError",
    "RateLimited",
    "ServerError",
    "TransportError",
    "keeping_body",
]

AUTH_ERR_NO = 20001
WATCHER_MISMATCH_ERR_NO = 20002
# err_no values that no retry can fix, with what they mean when the pool says nothing more
FINAL_ERR_NOS = {
    AUTH_ERR_NO: "permissions denied",
    WATCHER_MISMATCH_ERR_NO: "the watcher link and puid do not match",
}


# The pool's names for the request errors: every client error is a PoolApiError; the pool's
# own refusals (err_no 20001, 20002) are the same AuthError as an HTTP 401/403.
PoolApiError = RequestError
AuthError = AccessRefused


class ApiError(PoolApiError):
    """A non-zero err_no other than 20001, even with HTTP 200. Retried: pools use it when busy."""

    retryable = True

    def __init__(self, account: str, endpoint: str, err_no: int, err_msg: str) -> None:
        super().__init__(account, endpoint, f"err_no {err_no}: {err_msg or 'no message'}")
        self.err_no = err_no


class PaginationError(PoolApiError):
    """earn-history paging could not finish: a looping server, endless drift, too many pages."""


@contextmanager
def keeping_body(body: bytes, fetched_at: datetime) -> Iterator[None]:
    """Errors raised while reading `body` carry it (a page the parser refused is archived)."""
    try:
        yield
    except PoolApiError as exc:
        exc.body, exc.fetched_at = body, fetched_at
        raise
