"""Typed errors of a request: each names whom it was for (account) and what (endpoint)."""

from __future__ import annotations

from datetime import datetime

from poolbooks.redaction import redact


class RequestError(Exception):
    """Base of every request error: `account`, `endpoint` and a redacted one-line `cause`.
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

    def after_attempts(self, attempts: int) -> RequestError:
        """The same error, saying how many attempts were made before giving up."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        cause = f"{self.cause} (gave up after {attempts} attempts)"
        RequestError.__init__(clone, self.account, self.endpoint, cause)
        return clone

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.account, self.endpoint, self.cause), self.__dict__)


def _rebuild(cls: type[RequestError], account: str, endpoint: str, cause: str) -> RequestError:
    error = cls.__new__(cls)
    RequestError.__init__(error, account, endpoint, cause)
    return error


class AccessRefused(RequestError):
    """HTTP 401/403 (or a source's own refusal): the key or the account was refused. Final;
    never retried."""


class HttpStatusError(RequestError):
    """An HTTP status the client does not expect (4xx other than 408/429)."""

    def __init__(self, account: str, endpoint: str, status: int, cause: str) -> None:
        super().__init__(account, endpoint, cause)
        self.status = status


class ServerError(HttpStatusError):
    """HTTP 5xx or 408: the server had a problem; retried."""

    retryable = True


class RateLimited(HttpStatusError):
    """HTTP 429; retried after the server's Retry-After."""

    retryable = True

    def __init__(
        self, account: str, endpoint: str, cause: str, retry_after: float | None = None
    ) -> None:
        super().__init__(account, endpoint, 429, cause)
        self.retry_after = retry_after


class TransportError(RequestError):
    """Timeouts, reset connections, bodies cut short; retried."""

    retryable = True


class ConnectionRefused(TransportError):
    """Nothing listens where the request went (a refused TCP connect): a server that is not
    running, or a wrong port. Final: said at once, not retried."""

    retryable = False


class BadResponse(RequestError):
    """A body that is not a JSON envelope (an HTML error page, truncated JSON); retried."""

    retryable = True


class MalformedData(RequestError):
    """Valid JSON whose content breaks the API's rules; names page and field. Not retried."""

    def __init__(
        self, account: str, endpoint: str, field: str, problem: str, page: int | None = None
    ) -> None:
        where = f"page {page}, " if page is not None else ""
        super().__init__(account, endpoint, f"{where}field {field}: {problem}")
        self.field = field
        self.page = page
