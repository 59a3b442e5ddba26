"""Pool API bodies in their `{data, err_no, ...}` envelope, as the parser tests write them."""

from __future__ import annotations

import json
from typing import Any


def body(data: Any, err_no: int = 0, **extra: Any) -> bytes:
    return json.dumps({"err_no": err_no, "data": data, **extra}).encode()
