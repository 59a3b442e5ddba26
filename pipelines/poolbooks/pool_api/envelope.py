"""The `{data, err_no, err_msg}` envelope of pool API bodies, and `Where` errors point at."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NoReturn

from poolbooks.pool_api.errors import (
    FINAL_ERR_NOS,
    ApiError,
    AuthError,
    BadResponse,
    MalformedData,
)


@dataclass(frozen=True, slots=True)
class Where:
    """Where a value came from, so an error can say it in one line."""

    account: str
    endpoint: str
    page: int | None = None

    def fail(self, field: str, problem: str) -> NoReturn:
        raise MalformedData(self.account, self.endpoint, field, problem, self.page)


def decode_envelope(raw: bytes, where: Where) -> Any:
    """The `data` of a `{data, err_no, err_msg}` body; raises on err_no and on non-JSON.

    `err_msg` may be absent, a string or an object (`{"msg": "操作失败"}`); its text goes into
    the error. 20001 and 20002 are final; other codes, and a success without `data` (seen in
    the wild), are retried like a 5xx."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        snippet = raw[:60].decode("utf-8", "replace")
        raise BadResponse(where.account, where.endpoint, f"body is not JSON: {snippet!r}") from None
    if not isinstance(body, dict):
        where.fail("(body)", f"expected a JSON object, got {type(body).__name__}")
    err_no = body.get("err_no", 0)
    if isinstance(err_no, str) and err_no.strip().lstrip("-").isdigit():
        err_no = int(err_no)
    if not isinstance(err_no, int) or isinstance(err_no, bool):
        where.fail("err_no", f"expected an integer, got {err_no!r}")
    if err_no != 0:
        message = error_text(body.get("err_msg"))
        if err_no in FINAL_ERR_NOS:
            meaning = FINAL_ERR_NOS[err_no]
            raise AuthError(where.account, where.endpoint, f"err_no {err_no}: {message or meaning}")
        raise ApiError(where.account, where.endpoint, err_no, message)
    if body.get("data") is None:
        found = "null" if "data" in body else "missing"
        raise BadResponse(where.account, where.endpoint, f"err_no 0 but data is {found}")
    return body["data"]


def error_text(err_msg: object) -> str:
    """The words of an `err_msg`: a string, or an object's `msg` (or its values), or nothing."""
    if err_msg is None:
        return ""
    if isinstance(err_msg, dict):
        inner = err_msg.get("msg", err_msg.get("message"))
        parts = [inner] if inner is not None else list(err_msg.values())
        return "; ".join(filter(None, (error_text(part) for part in parts)))
    if isinstance(err_msg, list):
        return "; ".join(filter(None, (error_text(item) for item in err_msg)))
    return " ".join(str(err_msg).split())
