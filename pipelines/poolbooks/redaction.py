"""Secrets that never print: the Secret type, text and URL redaction, and the log filter."""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus

REDACTED = "***"
SECRET_QUERY_PARAMS = ("access_key",)
REDACTED_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "uvicorn",
    "uvicorn.access",
    "uvicorn.error",
    "aiohttp",
    "aiohttp.client",
    "aiohttp.internal",
)

_QUERY_SECRET = re.compile(
    r"(?P<name>(?:" + "|".join(SECRET_QUERY_PARAMS) + r")(?:=|%3D))(?P<value>[^&\s\"'<>#]+)",
    re.IGNORECASE,
)
_known_secrets: set[str] = set()
_known_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Remember a secret so that `redact` removes it wherever it appears, raw or URL-encoded."""
    if len(value) < 4:  # too short to redact without mangling ordinary text
        return
    with _known_lock:
        _known_secrets.update(secret_forms(value))


def secret_forms(value: str) -> set[str]:
    """A secret as it may be written: raw, URL-encoded by urllib (both ways), and as yarl
    (aiohttp's URLs) encodes a query value, which keeps `/` and `:` as they are."""
    from yarl import URL

    query = URL("http://x/").with_query({"k": value}).raw_query_string
    return {value, quote(value, safe=""), quote_plus(value), query.removeprefix("k=")}


def redact(text: str) -> str:
    """Return `text` with every `access_key=` value and every registered secret replaced."""
    text = _QUERY_SECRET.sub(lambda m: m.group("name") + REDACTED, text)
    with _known_lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_url(url: object) -> str:
    """A URL (str or httpx.URL) as text that is safe to log or put in an error."""
    return redact(str(url))


class Secret:
    """A string that hides itself from repr, str, f-strings and logs; `reveal()` gives it back."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register_secret(value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


class RedactingFilter(logging.Filter):
    """Rewrites a record's message and traceback text so that no secret reaches a handler."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactingFilter()


def install_log_redaction(extra_loggers: tuple[str, ...] = ()) -> None:
    """Attach the redacting filter to the HTTP loggers and every child logger they have made.

    Known children are created here if their library has not imported them yet, so the
    logger they get later is the filtered one.
    """
    prefixes = REDACTED_LOGGERS + extra_loggers
    names = set(prefixes) | {
        name
        for name in list(logging.Logger.manager.loggerDict)
        if any(name.startswith(prefix + ".") for prefix in prefixes)
    }
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
