"""earn-history pages into records: several payments a day, and errors that name the field."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from poolbooks.pool_api.earn_history import parse_earn_history_page
from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.errors import MalformedData
from tests.pool_api.bodies import body

WHERE = Where("main", "earn-history", 2)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
SEED_ROWS = [
    {
        "date": 20170213,
        "earnings": 0,
        "payment_time": "0",
        "payment_tx": "",
        "address": "",
        "paid_amount": 0,
        "diff": 422170566884,
        "payment_mode": "PPS",
        "earnings_rate": 0,
    },
    {
        "date": 20170212,
        "earnings": 1380002903,
        "payment_time": "2017-02-13 01:45:37",
        "payment_tx": "466af581cbf52af00dc0273ced28c17e8b7a7c6a92a4ce0ae104af4ff0d557c0",
        "address": "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv",
        "paid_amount": 1380002903,
        "diff": 422170566884,
        "payment_mode": "PPS",
        "earnings_rate": 0.044,
    },
]


def page_body(rows: list[dict[str, Any]]) -> bytes:
    return body({"page": "2", "page_size": "50", "page_count": 3, "total_count": 120, "list": rows})


def parse_rows(rows: list[dict[str, Any]], zone: str = "UTC") -> Any:
    return parse_earn_history_page(page_body(rows), WHERE, ZoneInfo(zone), NOW)


def test_seed_page_parses_to_satoshi_and_utc() -> None:
    page = parse_rows(SEED_ROWS)
    assert (page.page, page.page_size, page.page_count, page.total_count) == (2, 50, 3, 120)
    today, paid = page.rows
    assert today.date == date(2017, 2, 13)
    assert today.payment_time is None and today.payment_tx is None and today.address is None
    assert paid.earnings_sat == 1380002903 and paid.paid_amount_sat == 1380002903
    assert paid.payment_time == datetime(2017, 2, 13, 1, 45, 37, tzinfo=UTC)
    assert paid.difficulty == 422170566884
    assert paid.earnings_rate_pct == 0.044
    assert page.raw == page_body(SEED_ROWS)


def test_naive_payment_time_is_read_in_the_pool_zone() -> None:
    (row,) = parse_rows([SEED_ROWS[1]], zone="Asia/Shanghai").rows
    assert row.payment_time == datetime(2017, 2, 12, 17, 45, 37, tzinfo=UTC)


def test_numbers_as_strings_and_stray_whitespace() -> None:
    row = {
        **SEED_ROWS[1],
        "date": "20170212",
        "earnings": " 1380002903 ",
        "paid_amount": "1380002903",
        "diff": "422170566884",
        "earnings_rate": "0.044",
        "address": "  3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv \n",
    }
    (parsed,) = parse_rows([row]).rows
    assert parsed.earnings_sat == 1380002903
    assert parsed.address == "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv"
    assert parsed.date == date(2017, 2, 12)
    assert parsed.earnings_rate_pct == 0.044


def test_the_largest_int64_amount_is_kept_as_is() -> None:
    row = {**SEED_ROWS[1], "paid_amount": 2**63 - 1, "earnings": str(2**63 - 1)}
    (parsed,) = parse_rows([row]).rows
    assert parsed.paid_amount_sat == parsed.earnings_sat == 2**63 - 1


def test_absent_rates_are_none_and_unknown_fields_are_kept() -> None:
    row = {k: v for k, v in SEED_ROWS[1].items() if k != "earnings_rate"}
    row["stats"] = "PENDING_NOT_ENOUGH"
    (parsed,) = parse_rows([row]).rows
    assert parsed.earnings_rate_pct is None and parsed.diff_rate_pct is None
    assert json.loads(parsed.extra or "") == {"stats": "PENDING_NOT_ENOUGH"}


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("earnings", -5, "field list[0].earnings: negative satoshi amount -5"),
        ("earnings", 1.5, "field list[0].earnings: not an integer number of satoshi: 1.5"),
        ("earnings", "12a", "field list[0].earnings: not an integer number of satoshi: '12a'"),
        ("earnings", 2**64, f"field list[0].earnings: satoshi amount {2**64} is beyond int64"),
        ("earnings", None, "field list[0].earnings: missing"),
        ("paid_amount", True, "field list[0].paid_amount: not a satoshi amount: True"),
        ("date", 20170230, "field list[0].date: not a valid date: 20170230"),
        ("date", "2017-02-12", "field list[0].date: not a YYYYMMDD date: '2017-02-12'"),
        ("payment_time", "13/02/2017", "field list[0].payment_time: not a 'YYYY-MM-DD"),
        ("diff", "NaN", "field list[0].diff: not a finite number: 'NaN'"),
        ("address", "3NA8 hsj", "field list[0].address: not a valid value: '3NA8 hsj'"),
        ("address", "3NA8hsjé", "field list[0].address: not a valid value"),
    ],
)
def test_malformed_row_names_account_endpoint_page_and_field(
    field: str, value: Any, problem: str
) -> None:
    row = {**SEED_ROWS[1], field: value}
    with pytest.raises(MalformedData) as info:
        parse_rows([row])
    message = str(info.value)
    assert message.startswith("account 'main', endpoint earn-history: page 2, ")
    assert problem in message
    assert info.value.field == f"list[0].{field}"


SECOND_PAYMENT = {
    **SEED_ROWS[1],
    "paid_amount": 1000,
    "payment_time": "2017-02-13 09:00:00",
    "payment_tx": "77" * 32,
}


def test_several_payments_on_one_day_are_several_rows_of_that_date() -> None:
    first = {**SEED_ROWS[1], "paid_amount": 1380001903}
    page = parse_rows([SEED_ROWS[0], first, SECOND_PAYMENT])
    _, one, two = page.rows
    assert one.date == two.date == date(2017, 2, 12)
    assert one.earnings_sat == two.earnings_sat == 1380002903  # each row repeats the day's
    assert one.paid_amount_sat + two.paid_amount_sat == 1380002903
    assert one.key != two.key


def test_a_day_with_a_payment_and_an_unpaid_remainder_parses() -> None:
    # btcpool-export's own comment shows this shape: one row paid, one with unpaid_reason
    remainder = {
        **SEED_ROWS[1],
        "paid_amount": 0,
        "payment_tx": "",
        "address": "",
        "payment_time": "0",
        "unpaid_reason": "xxxxx",
    }
    paid, unpaid = parse_rows([SEED_ROWS[1], remainder]).rows
    assert paid.is_paid and not unpaid.is_paid
    assert json.loads(unpaid.extra or "") == {"unpaid_reason": "xxxxx"}


def test_rows_of_one_date_whose_earnings_differ_name_account_page_and_date() -> None:
    with pytest.raises(MalformedData) as info:
        parse_rows([SEED_ROWS[1], {**SECOND_PAYMENT, "earnings": "1380002904"}])
    assert str(info.value) == (
        "account 'main', endpoint earn-history: page 2, field list[1].earnings: date 20170212 "
        "has rows with different earnings (1380002903 and 1380002904 sat)"
    )


def test_one_payment_listed_twice_on_a_page_is_refused() -> None:
    with pytest.raises(
        MalformedData, match=r"date 20170212 with payment_tx 466af5\w+ is listed twice"
    ):
        parse_rows([SEED_ROWS[1], SEED_ROWS[1]])


def test_unknown_row_fields_of_the_real_pool_are_kept() -> None:
    row = {**SEED_ROWS[1], "more_than_pps96": 0, "more_than_pps96_rate": "0.0312"}
    row |= {"unpaid_reason": "", "stats": "PENDING_NOT_ENOUGH"}
    (parsed,) = parse_rows([row]).rows
    assert json.loads(parsed.extra or "") == {
        "more_than_pps96": 0,
        "more_than_pps96_rate": "0.0312",
        "stats": "PENDING_NOT_ENOUGH",
        "unpaid_reason": "",
    }


def test_a_new_sub_account_has_no_pages_and_no_rows() -> None:
    raw = body({"page": "1", "page_size": "50", "page_count": 0, "total_count": 0, "list": []})
    page = parse_earn_history_page(raw, WHERE, UTC, NOW)
    assert (page.page_count, page.total_count, page.rows) == (0, 0, ())
