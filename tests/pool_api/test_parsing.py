"""Parsing quirks of the pool API into typed records, and errors that name the field."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pipelines.pool_api.errors import ApiError, AuthError, BadResponse, MalformedData
from pipelines.pool_api.parsing import (
    Where,
    parse_account_info,
    parse_earn_history_page,
    parse_earn_stats,
    parse_hashrate,
    parse_pool_stats,
    parse_worker_stats,
)

WHERE = Where("main", "earn-history", 2)
SNAP = Where("main", "earn-stats")
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


def body(data: Any, err_no: int = 0, **extra: Any) -> bytes:
    return json.dumps({"err_no": err_no, "data": data, **extra}).encode()


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


def test_earn_stats_strings_to_satoshi_and_unix_time() -> None:
    stats = parse_earn_stats(
        body(
            {
                "total_paid": "1380002903",
                "pending_payouts": "0",
                "last_payment_time": "1486950337",
                "earnings_today": "12",
                "earnings_yesterday": 34,
                "unpaid": "46",
            }
        ),
        SNAP,
    )
    assert stats.total_paid_sat == 1380002903 and stats.unpaid_sat == 46
    assert stats.last_payment_time == datetime(2017, 2, 13, 1, 45, 37, tzinfo=UTC)
    zero = parse_earn_stats(
        body(
            {k: "0" for k in ("total_paid", "last_payment_time", "earnings_today")}
            | {"earnings_yesterday": "0", "unpaid": "0"}
        ),
        SNAP,
    )
    assert zero.last_payment_time is None


def test_hashrate_units_are_normalised_to_hashes_per_second() -> None:
    rate = parse_hashrate(
        body(
            {
                "shares_15m": "22.88",
                "shares_15m_unit": "P",
                "shares_1d": 23.33,
                "shares_1d_unit": "E",
            }
        ),
        SNAP,
    )
    assert rate.shares_15m_hs == 22.88e15
    assert rate.shares_1d_hs == 23.33e18


@pytest.mark.parametrize(("unit", "scale"), [("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)])
def test_every_hashrate_unit(unit: str, scale: float) -> None:
    rate = parse_hashrate(
        body(
            {"shares_15m": "2", "shares_15m_unit": unit, "shares_1d": "0", "shares_1d_unit": unit}
        ),
        SNAP,
    )
    assert rate.shares_15m_hs == 2 * scale


def test_unknown_hashrate_unit_names_the_field() -> None:
    with pytest.raises(MalformedData, match="field shares_15m_unit: unknown hashrate unit 'Q'"):
        parse_hashrate(
            body(
                {"shares_15m": "1", "shares_15m_unit": "Q", "shares_1d": "1", "shares_1d_unit": "P"}
            ),
            SNAP,
        )


def test_worker_and_pool_stats_and_account_info() -> None:
    workers = parse_worker_stats(
        body(
            {
                "workers_active": 1999,
                "workers_inactive": 1,
                "workers_dead": 1,
                "shares_1m": "22.55",
                "shares_5m": "22.79",
                "shares_15m": "22.85",
                "workers_total": 2000,
                "shares_unit": "P",
            }
        ),
        SNAP,
    )
    assert workers.workers_total == 2000 and workers.shares_15m_hs == 22.85e15
    pool = parse_pool_stats(
        body(
            {
                "shares": {
                    "shares_1m": 114.6,
                    "shares_5m": 115.6,
                    "shares_15m": 115.8,
                    "shares_unit": "P",
                },
                "reject": {"1m": 0, "5m": 0, "15m": 0.0007},
                "workers": 15424,
                "users": 555,
            }
        ),
        SNAP,
    )
    assert pool.shares_15m_hs == 115.8e15 and pool.users == 555 and pool.reject_15m == 0.0007
    info = parse_account_info(
        body(
            {
                "user_id": 88888,
                "user_name": "spica",
                "address": "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv ",
                "region": "中国",
                "alert": {"x": 1},
            }
        ),
        SNAP,
    )
    assert info.address == "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv"
    assert json.loads(info.extra or "") == {"alert": {"x": 1}}


def test_pure_twins_of_hashrate_and_worker_answers_are_kept() -> None:
    rate = parse_hashrate(
        body(
            {
                "shares_15m": "22.88",
                "shares_15m_unit": "P",
                "shares_15m_pure": "22880000000000000",
                "shares_1d": "23.33",
                "shares_1d_unit": "P",
                "shares_1d_pure": "23330000000000000",
            }
        ),
        SNAP,
    )
    assert rate.shares_15m_hs == 22.88e15
    assert json.loads(rate.extra or "") == {
        "shares_15m_pure": "22880000000000000",
        "shares_1d_pure": "23330000000000000",
    }
    workers = parse_worker_stats(
        body(
            {
                "workers_active": 3,
                "workers_inactive": 0,
                "workers_dead": 0,
                "workers_total": 3,
                "shares_1m": "1.5",
                "shares_5m": "1.5",
                "shares_15m": "1.5",
                "shares_unit": "T",
                "shares_15m_pure": "1500000000000",
            }
        ),
        SNAP,
    )
    assert json.loads(workers.extra or "") == {"shares_15m_pure": "1500000000000"}
