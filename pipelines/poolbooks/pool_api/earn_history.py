"""earn-history pages and rows into records, checking the rows of a day paid several times."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from poolbooks.pool_api.envelope import Where, decode_envelope
from poolbooks.pool_api.fields import (
    ADDRESS,
    TXID,
    extra_fields,
    parse_object,
    parse_optional_text,
    parse_token,
)
from poolbooks.pool_api.number_fields import parse_count, parse_optional_number, parse_sat
from poolbooks.pool_api.records import EarnHistoryPage, EarnHistoryRow
from poolbooks.pool_api.time_fields import parse_day, parse_naive_time

MAX_ROWS_PER_PAGE = 50
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


def parse_earn_history_page(
    raw: bytes, where: Where, zone: tzinfo, fetched_at: datetime
) -> EarnHistoryPage:
    data = parse_object(decode_envelope(raw, where), "data", where)
    rows_raw = data.get("list")
    if not isinstance(rows_raw, list):
        where.fail("data.list", "missing or not a list")
    page_size = parse_count(data, "page_size", where)
    if len(rows_raw) > max(page_size, MAX_ROWS_PER_PAGE):
        where.fail("data.list", f"{len(rows_raw)} rows, more than page_size {page_size}")
    rows = tuple(
        parse_earn_history_row(row, f"list[{i}]", where, zone) for i, row in enumerate(rows_raw)
    )
    check_payments_of_a_day(rows, where)
    return EarnHistoryPage(
        page=parse_count(data, "page", where),
        page_size=page_size,
        page_count=parse_count(data, "page_count", where),
        total_count=parse_count(data, "total_count", where),
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
    obj = parse_object(row, path, where)
    return EarnHistoryRow(
        date=parse_day(obj.get("date"), f"{path}.date", where),
        earnings_sat=parse_sat(obj.get("earnings"), f"{path}.earnings", where),
        paid_amount_sat=parse_sat(obj.get("paid_amount", 0), f"{path}.paid_amount", where),
        payment_time=parse_naive_time(obj.get("payment_time"), f"{path}.payment_time", where, zone),
        payment_tx=parse_token(obj.get("payment_tx"), f"{path}.payment_tx", where, TXID),
        address=parse_token(obj.get("address"), f"{path}.address", where, ADDRESS),
        difficulty=parse_optional_number(obj.get("diff"), f"{path}.diff", where),
        payment_mode=parse_optional_text(obj.get("payment_mode"), f"{path}.payment_mode", where),
        earnings_rate_pct=parse_optional_number(
            obj.get("earnings_rate"), f"{path}.earnings_rate", where
        ),
        diff_rate_pct=parse_optional_number(obj.get("diff_rate"), f"{path}.diff_rate", where),
        extra=extra_fields(obj, _EARN_ROW_FIELDS),
    )
