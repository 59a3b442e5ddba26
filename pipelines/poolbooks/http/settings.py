"""The `[client]` settings of the HTTP clients, and their named defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from poolbooks.redaction import Secret

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ATTEMPTS = 6
DEFAULT_BACKOFF_BASE = 0.5
DEFAULT_BACKOFF_CAP = 30.0
DEFAULT_MAX_RETRY_AFTER = 120.0
DEFAULT_CONCURRENCY = 8
DEFAULT_REQUESTS_PER_SECOND = 10.0


@dataclass(frozen=True)
class ClientSettings:
    """Limits for talking to a host: shared by every account on it."""

    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND
    concurrency: int = DEFAULT_CONCURRENCY
    timeout_seconds: float = DEFAULT_TIMEOUT
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_seconds: float = DEFAULT_BACKOFF_BASE
    backoff_cap_seconds: float = DEFAULT_BACKOFF_CAP
    # a Redis URL (from the variable `limiter_url_env` names): the per-host rate is then shared
    # by every process and machine that uses it, not kept per process
    limiter_url: Secret | None = field(default=None, repr=False)
    limiter_url_env: str | None = None
