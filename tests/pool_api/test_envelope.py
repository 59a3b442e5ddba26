"""The envelope: final and retryable err_no, err_msg texts, bodies without JSON or data."""

from __future__ import annotations

from typing import Any

import pytest

from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.errors import ApiError, AuthError, BadResponse
from poolbooks.pool_api.snapshots import parse_earn_stats
from tests.pool_api.bodies import body

SNAP = Where("main", "earn-stats")


@pytest.mark.parametrize("err_no", [20001, 20002])
def test_err_no_20001_and_20002_are_final_even_with_http_200(err_no: int) -> None:
    with pytest.raises(AuthError, match=f"err_no {err_no}") as info:
        parse_earn_stats(body(None, err_no), SNAP)
    assert not info.value.retryable


@pytest.mark.parametrize(
    ("err_msg", "text"),
    [
        ({"msg": "操作失败"}, "err_no 2: 操作失败"),
        ({"status": ["operation failed"]}, "err_no 2: operation failed"),
        ("Operation failed", "err_no 2: Operation failed"),
        (None, "err_no 2: no message"),
    ],
)
def test_err_msg_as_object_or_string_shows_its_text(err_msg: Any, text: str) -> None:
    with pytest.raises(ApiError) as info:
        parse_earn_stats(body(None, 2, err_msg=err_msg), SNAP)
    assert str(info.value) == f"account 'main', endpoint earn-stats: {text}"


def test_other_err_no_is_a_retryable_api_error() -> None:
    with pytest.raises(ApiError) as info:
        parse_earn_stats(body(None, 10001, err_msg="busy"), SNAP)
    assert info.value.retryable and info.value.err_no == 10001


@pytest.mark.parametrize("raw", [b"<html>502</html>", b'{"err_no": 0, "data": {"tot', b""])
def test_body_that_is_not_json_is_a_retryable_bad_response(raw: bytes) -> None:
    with pytest.raises(BadResponse) as info:
        parse_earn_stats(raw, SNAP)
    assert info.value.retryable


@pytest.mark.parametrize("raw", [b'{"err_no": 0, "data": null}', b'{"err_no": 0}'])
def test_success_without_data_is_retried_like_a_5xx(raw: bytes) -> None:
    with pytest.raises(BadResponse, match=r"err_no 0 but data is (null|missing)") as info:
        parse_earn_stats(raw, SNAP)
    assert info.value.retryable
