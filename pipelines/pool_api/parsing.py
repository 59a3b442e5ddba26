"""Pool API bodies into typed records, with one-line errors naming account, endpoint and field."""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from pipelines.pool_api.errors import (
    FINAL_ERR_NOS,
    ApiError,
    AuthError,
    BadResponse,
    MalformedData,
)
from pipelines.pool_api.records import (
    AccountInfo,
    EarnHistoryPage,
    EarnHistoryRow,
    EarnStats,
    Hashrate,
    PoolStats,
    WorkerStats,
)

INT64_MAX = 2**63 - 1
FLOAT_EXACT_MAX = 2**53
HASHRATE_UNITS = {"": 0, "H": 0, "K": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
MAX_ROWS_PER_PAGE = 50
_ADDRESS = re.compile(r"^[A-Za-z0-9:]{1,128}$")
_TXID = re.compile(r"^[A-Za-z0-9]{1,128}$")
_NAIVE_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_EARN_ROW_FIELDS = frozenset(
    {
        "date",
        "earnings",
        "payment_time",
        "payment_tx",
        "address",
        "paid_amount",
        "diff",
        "payment_mode",
        "earnings_rate",
        "diff_rate",
    }
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


def parse_earn_history_page(
    raw: bytes, where: Where, zone: tzinfo, fetched_at: datetime
) -> EarnHistoryPage:
    data = _object(decode_envelope(raw, where), "data", where)
    rows_raw = data.get("list")
    if not isinstance(rows_raw, list):
        where.fail("data.list", "missing or not a list")
    page_size = _count(data, "page_size", where)
    if len(rows_raw) > max(page_size, MAX_ROWS_PER_PAGE):
        where.fail("data.list", f"{len(rows_raw)} rows, more than page_size {page_size}")
    rows = tuple(
        parse_earn_history_row(row, f"list[{i}]", where, zone) for i, row in enumerate(rows_raw)
    )
    check_payments_of_a_day(rows, where)
    return EarnHistoryPage(
        page=_count(data, "page", where),
        page_size=page_size,
        page_count=_count(data, "page_count", where),
        total_count=_count(data, "total_count", where),
        rows=rows,
        raw=raw,
        fetched_at=fetched_at,
    )


def check_payments_of_a_day(rows: tuple[EarnHistoryRow, ...], where: Where) -> None:
    """Several payments on one day are several rows with that date, each repeating the day's
    earnings: rows of one date whose earnings differ, or one payment listed twice, are bad."""
    first: dict[date, EarnHistoryRow] = {}
    keys: set[tuple[date, str]] = set()
    for i, row in enumerate(rows):
        earlier = first.setdefault(row.date, row)
        if earlier.earnings_sat != row.earnings_sat:
            where.fail(
                f"list[{i}].earnings",
                f"date {row.date:%Y%m%d} has rows with different earnings "
                f"({earlier.earnings_sat} and {row.earnings_sat} sat)",
            )
        key = row.key
        if key in keys:
            payment = f"payment_tx {row.payment_tx}" if row.payment_tx else "no payment_tx"
            where.fail(
                f"list[{i}]", f"date {row.date:%Y%m%d} with {payment} is listed twice on one page"
            )
        keys.add(key)


def parse_earn_history_row(row: object, path: str, where: Where, zone: tzinfo) -> EarnHistoryRow:
    obj = _object(row, path, where)
    return EarnHistoryRow(
        date=parse_day(obj.get("date"), f"{path}.date", where),
        earnings_sat=parse_sat(obj.get("earnings"), f"{path}.earnings", where),
        paid_amount_sat=parse_sat(obj.get("paid_amount", 0), f"{path}.paid_amount", where),
        payment_time=parse_naive_time(obj.get("payment_time"), f"{path}.payment_time", where, zone),
        payment_tx=_token(obj.get("payment_tx"), f"{path}.payment_tx", where, _TXID),
        address=_token(obj.get("address"), f"{path}.address", where, _ADDRESS),
        difficulty=_optional_number(obj.get("diff"), f"{path}.diff", where),
        payment_mode=_optional_text(obj.get("payment_mode"), f"{path}.payment_mode", where),
        earnings_rate_pct=_optional_number(
            obj.get("earnings_rate"), f"{path}.earnings_rate", where
        ),
        diff_rate_pct=_optional_number(obj.get("diff_rate"), f"{path}.diff_rate", where),
        extra=extra_fields(obj, _EARN_ROW_FIELDS),
    )


def parse_account_info(raw: bytes, where: Where) -> AccountInfo:
    data = _object(decode_envelope(raw, where), "data", where)
    user_id = data.get("user_id")
    return AccountInfo(
        user_id=None if user_id is None else _integer(user_id, "user_id", where),
        user_name=_optional_text(data.get("user_name"), "user_name", where),
        address=_token(data.get("address"), "address", where, _ADDRESS),
        region=_optional_text(data.get("region"), "region", where),
        extra=extra_fields(data, frozenset({"user_id", "user_name", "address", "region"})),
    )


def parse_earn_stats(raw: bytes, where: Where) -> EarnStats:
    data = _object(decode_envelope(raw, where), "data", where)
    known = frozenset(
        {
            "total_paid",
            "pending_payouts",
            "last_payment_time",
            "earnings_today",
            "earnings_yesterday",
            "unpaid",
        }
    )
    return EarnStats(
        total_paid_sat=parse_sat(data.get("total_paid"), "total_paid", where),
        pending_payouts_sat=parse_sat(data.get("pending_payouts", 0), "pending_payouts", where),
        last_payment_time=parse_unix_time(
            data.get("last_payment_time"), "last_payment_time", where
        ),
        earnings_today_sat=parse_sat(data.get("earnings_today"), "earnings_today", where),
        earnings_yesterday_sat=parse_sat(
            data.get("earnings_yesterday"), "earnings_yesterday", where
        ),
        unpaid_sat=parse_sat(data.get("unpaid"), "unpaid", where),
        extra=extra_fields(data, known),
    )


def parse_hashrate(raw: bytes, where: Where) -> Hashrate:
    data = _object(decode_envelope(raw, where), "data", where)
    known = frozenset({"shares_15m", "shares_15m_unit", "shares_1d", "shares_1d_unit"})
    return Hashrate(
        shares_15m_hs=parse_hashrate_value(data, "shares_15m", "shares_15m_unit", where),
        shares_1d_hs=parse_hashrate_value(data, "shares_1d", "shares_1d_unit", where),
        extra=extra_fields(data, known),
    )


def parse_worker_stats(raw: bytes, where: Where) -> WorkerStats:
    data = _object(decode_envelope(raw, where), "data", where)
    known = frozenset(
        {
            "workers_active",
            "workers_inactive",
            "workers_dead",
            "workers_total",
            "shares_1m",
            "shares_5m",
            "shares_15m",
            "shares_unit",
        }
    )
    return WorkerStats(
        workers_active=_count(data, "workers_active", where),
        workers_inactive=_count(data, "workers_inactive", where),
        workers_dead=_count(data, "workers_dead", where),
        workers_total=_count(data, "workers_total", where),
        shares_1m_hs=parse_hashrate_value(data, "shares_1m", "shares_unit", where),
        shares_5m_hs=parse_hashrate_value(data, "shares_5m", "shares_unit", where),
        shares_15m_hs=parse_hashrate_value(data, "shares_15m", "shares_unit", where),
        extra=extra_fields(data, known),
    )


def parse_pool_stats(raw: bytes, where: Where) -> PoolStats:
    data = _object(decode_envelope(raw, where), "data", where)
    shares = _object(data.get("shares"), "shares", where)
    reject = _object(data.get("reject", {}), "reject", where)
    return PoolStats(
        shares_1m_hs=parse_hashrate_value(shares, "shares_1m", "shares_unit", where, "shares."),
        shares_5m_hs=parse_hashrate_value(shares, "shares_5m", "shares_unit", where, "shares."),
        shares_15m_hs=parse_hashrate_value(shares, "shares_15m", "shares_unit", where, "shares."),
        reject_1m=_number(reject.get("1m", 0), "reject.1m", where),
        reject_5m=_number(reject.get("5m", 0), "reject.5m", where),
        reject_15m=_number(reject.get("15m", 0), "reject.15m", where),
        workers=_count(data, "workers", where),
        users=_count(data, "users", where),
        extra=extra_fields(data, frozenset({"shares", "reject", "workers", "users"})),
    )


# --- field parsers -------------------------------------------------------------------------


def parse_sat(value: object, field: str, where: Where) -> int:
    """Integer satoshi from an int, a digit string or an integral float; never negative."""
    if type(value) is int and 0 <= value <= INT64_MAX:  # the usual cases, first
        return value
    if type(value) is str and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    if value is None:
        where.fail(field, "missing")
    if isinstance(value, bool):
        where.fail(field, f"not a satoshi amount: {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+", text) is None:
            where.fail(field, f"not an integer number of satoshi: {value!r}")
        value = int(text)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or abs(value) > FLOAT_EXACT_MAX:
            where.fail(field, f"not an integer number of satoshi: {value!r}")
        value = int(value)
    if not isinstance(value, int):
        where.fail(field, f"not a satoshi amount: {value!r}")
    if value < 0:
        where.fail(field, f"negative satoshi amount {value}")
    if value > INT64_MAX:
        where.fail(field, f"satoshi amount {value} is beyond int64")
    return value


def parse_day(value: object, field: str, where: Where) -> date:
    """A YYYYMMDD date, as an integer or a string."""
    if type(value) is int and 10000101 <= value <= 99991231:  # the usual case, first
        year, month_day = divmod(value, 10000)
        with contextlib.suppress(ValueError):
            return date(year, *divmod(month_day, 100))
    text = (
        str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    )
    if not re.fullmatch(r"\d{8}", text):
        where.fail(field, f"not a YYYYMMDD date: {value!r}")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        where.fail(field, f"not a valid date: {value!r}")


def parse_naive_time(value: object, field: str, where: Where, zone: tzinfo) -> datetime | None:
    """`"YYYY-MM-DD HH:MM:SS"` in the pool's zone, as UTC; `"0"`, `0` and `""` mean none."""
    if type(value) is str and _is_utc(zone) and _NAIVE_TIME.fullmatch(value):  # the usual case
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
    if value in (None, "", "0", 0):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_unix_time(value, field, where)
    if not isinstance(value, str):
        where.fail(field, f"not a time: {value!r}")
    text = value.strip()
    if text in ("", "0"):
        return None
    try:
        if _NAIVE_TIME.fullmatch(text) is None:
            raise ValueError(text)
        naive = datetime.fromisoformat(text)
    except ValueError:
        where.fail(field, f"not a 'YYYY-MM-DD HH:MM:SS' time: {value!r}")
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _is_utc(zone: tzinfo) -> bool:
    return zone is UTC or getattr(zone, "key", None) in ("UTC", "Etc/UTC")


def parse_unix_time(value: object, field: str, where: Where) -> datetime | None:
    """Unix seconds (number or string) as UTC; 0 means none."""
    if value in (None, "", "0", 0):
        return None
    number = _number(value, field, where)
    if number < 0 or number > 32503680000:  # year 3000
        where.fail(field, f"not a unix time: {value!r}")
    return datetime.fromtimestamp(number, UTC)


def parse_hashrate_value(
    data: Mapping[str, Any], key: str, unit_key: str, where: Where, prefix: str = ""
) -> float:
    """A hashrate and its unit (K, M, G, T, P, E) as H/s."""
    if key not in data:
        where.fail(prefix + key, "missing")
    amount = _decimal(data[key], prefix + key, where)
    unit = data.get(unit_key, "")
    if not isinstance(unit, str):
        where.fail(prefix + unit_key, f"not a unit: {unit!r}")
    letter = unit.strip().upper().removesuffix("H/S").removesuffix("/S")
    if letter not in HASHRATE_UNITS:
        where.fail(prefix + unit_key, f"unknown hashrate unit {unit!r}")
    if amount < 0:
        where.fail(prefix + key, f"negative hashrate {data[key]!r}")
    return float(amount.scaleb(HASHRATE_UNITS[letter]))


def extra_fields(obj: Mapping[str, Any], known: frozenset[str]) -> str | None:
    """Fields the API documents nowhere, kept as sorted JSON instead of being dropped."""
    extra = {k: v for k, v in obj.items() if k not in known}
    return json.dumps(extra, sort_keys=True, ensure_ascii=False) if extra else None


def _object(value: object, field: str, where: Where) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        found = "null" if value is None else type(value).__name__
        where.fail(field, f"expected an object, got {found}")
    return value


def _decimal(value: object, field: str, where: Where) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        where.fail(field, f"not a number: {value!r}")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        where.fail(field, f"not a number: {value!r}")
    if not number.is_finite():
        where.fail(field, f"not a finite number: {value!r}")
    return number


def _number(value: object, field: str, where: Where) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            where.fail(field, f"number out of range: {value!r}")
        if not math.isfinite(number):
            where.fail(field, f"not a finite number: {value!r}")
        return number
    return float(_decimal(value, field, where))


def _optional_number(value: object, field: str, where: Where) -> float | None:
    if type(value) is int and -FLOAT_EXACT_MAX <= value <= FLOAT_EXACT_MAX:
        return float(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _number(value, field, where)


def _integer(value: object, field: str, where: Where) -> int:
    number = _decimal(value, field, where)
    if number != number.to_integral_value() or abs(number) > INT64_MAX:
        where.fail(field, f"not an integer: {value!r}")
    return int(number)


def _count(data: Mapping[str, Any], key: str, where: Where) -> int:
    if key not in data:
        where.fail(key, "missing")
    number = _integer(data[key], key, where)
    if number < 0:
        where.fail(key, f"negative count {data[key]!r}")
    return number


def _optional_text(value: object, field: str, where: Where) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        where.fail(field, f"not text: {value!r}")
    text = str(value).strip()
    return text or None


def _token(value: object, field: str, where: Where, pattern: re.Pattern[str]) -> str | None:
    """An address or txid: stray whitespace stripped, `""` as None, anything odd refused."""
    if value is None:
        return None
    if not isinstance(value, str):
        where.fail(field, f"not text: {value!r}")
    text = value.strip()
    if not text:
        return None
    if pattern.fullmatch(text) is None:
        where.fail(field, f"not a valid value: {text[:80]!r}")
    return text
