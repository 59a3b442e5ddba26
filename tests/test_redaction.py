"""Secrets never print: the Secret type, URL redaction and the log filter."""

from __future__ import annotations

import io
import logging
import pickle

import pytest

from poolbooks.redaction import RedactingFilter, Secret, install_log_redaction, redact, redact_url


def test_secret_hides_in_repr_str_and_format() -> None:
    secret = Secret("s3cret-value")
    assert "s3cret-value" not in repr(secret)
    assert "s3cret-value" not in str(secret)
    assert "s3cret-value" not in f"{secret} {secret!r}"
    assert secret.reveal() == "s3cret-value"


def test_secret_refuses_to_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret("s3cret-value"))


def test_redact_url_removes_access_key_parameter_whatever_its_value() -> None:
    url = "https://pool.api.btc.com/v1/account/info?puid=1&access_key=never-registered-9&page=2"
    assert (
        redact_url(url) == "https://pool.api.btc.com/v1/account/info?puid=1&access_key=***&page=2"
    )


def test_redact_removes_registered_secret_raw_and_url_encoded() -> None:
    Secret("canary+key/with=odd")
    text = "raw canary+key/with=odd and encoded canary%2Bkey%2Fwith%3Dodd"
    assert "canary" not in redact(text)


def test_redact_removes_a_secret_as_aiohttp_writes_it_in_a_url() -> None:
    from yarl import URL

    Secret("yarl+canary/k3y=odd&x:y")
    url = str(URL("http://pool/v1/x").with_query({"puid": "1", "other": "yarl+canary/k3y=odd&x:y"}))
    assert "yarl%2Bcanary/k3y%3Dodd%26x:y" in url  # neither urllib encoding of it
    assert "canary" not in redact(f"GET {url} failed")


def test_filter_redacts_message_arguments_and_tracebacks() -> None:
    Secret("tb-secret-123")
    stream = io.StringIO()
    logger = logging.getLogger("poolbooks.test.redaction")
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    try:
        logger.warning("GET %s", "https://x/?access_key=tb-secret-123")
        try:
            raise ValueError("bad key tb-secret-123")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert "tb-secret-123" not in stream.getvalue()
    assert "access_key=***" in stream.getvalue()


def test_http_loggers_get_the_filter_including_children() -> None:
    import httpx  # noqa: F401

    install_log_redaction()
    for name in ("httpx", "httpcore", "httpcore.http11", "httpcore.connection"):
        assert any(isinstance(f, RedactingFilter) for f in logging.getLogger(name).filters), name
