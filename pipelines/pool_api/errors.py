"""Typed errors of the pool API client; every message names the account and the endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from pipelines.redaction import redact

AUTH_ERR_NO = 20001
WATCHER_MISMATCH_ERR_NO = 20002
# err_no values that no retry can fix, with what they mean when the pool says nothing more
FINAL_ERR_NOS = {
    AUTH_ERR_NO: "permissions denied",
    WATCHER_MISMATCH_ERR_NO: "the watcher link and puid do not match",
}


class PoolApiError(Exception):
    """Base of every client error: `account`, `endpoint` and a redacted one-line `cause`.
    An answer that arrived but could not be read keeps its `body` (and when it was fetched),
    so that it can be archived and read again by a later parser."""

    retryable = False
    body: bytes | None = None
    fetched_at: datetime | None = None

    def __init__(self, account: str, endpoint: str, cause: str) -> None:
        self.account = account
        self.endpoint = endpoint
        self.cause = redact(" ".join(cause.split()))
        super().__init__(f"account {account!r}, endpoint {endpoint}: {self.cause}")

    def after_attempts(self, attempts: int) -> PoolApiError:
        """The same error, saying how many attempts were made before giving up."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        cause = f"{self.cause} (gave up after {attempts} attempts)"
        PoolApiError.__init__(clone, self.account, self.endpoint, cause)
        return clone

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.account, self.endpoint, self.cause), self.__dict__)


def _rebuild(cls: type[PoolApiError], account: str, endpoint: str, cause: str) -> PoolApiError:
    error = cls.__new__(cls)
    PoolApiError.__init__(error, account, endpoint, cause)
    return error


class AuthError(PoolApiError):
    """err_no 20001 or 20002, or HTTP 401/403: the pool refused the key, puid or watcher link.
    Final; never retried."""


class ApiError(PoolApiError):
    """A non-zero err_no other than 20001, even with HTTP 200. Retried: pools use it when busy."""

    retryable = True

    def __init__(self, account: str, endpoint: str, err_no: int, err_msg: str) -> None:
        super().__init__(account, endpoint, f"err_no {err_no}: {err_msg or 'no message'}")
        self.err_no = err_no


class HttpStatusError(PoolApiError):
    """An HTTP status the client does not expect (4xx other than 408/429)."""

    def __init__(self, account: str, endpoint: str, status: int, cause: str) -> None:
        super().__init__(account, endpoint, cause)
        self.status = status


class ServerError(HttpStatusError):
    """HTTP 5xx or 408: the pool had a problem; retried."""

    retryable = True


class RateLimited(HttpStatusError):
    """HTTP 429; retried after the pool's Retry-After."""

    retryable = True

    def __init__(
        self, account: str, endpoint: str, cause: str, retry_after: float | None = None
    ) -> None:
        super().__init__(account, endpoint, 429, cause)
        self.retry_after = retry_after


class TransportError(PoolApiError):
    """Timeouts, refused or reset connections, bodies cut short; retried."""

    retryable = True


class BadResponse(PoolApiError):
    """A body that is not a JSON envelope (an HTML error page, truncated JSON); retried."""

    retryable = True


class MalformedData(PoolApiError):
    """Valid JSON whose content breaks the API's rules; names page and field. Not retried."""

    def __init__(
        self, account: str, endpoint: str, field: str, problem: str, page: int | None = None
    ) -> None:
        where = f"page {page}, " if page is not None else ""
        super().__init__(account, endpoint, f"{where}field {field}: {problem}")
        self.field = field
        self.page = page


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
