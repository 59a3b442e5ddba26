"""The bad-input corpus, as code that writes one folder per case: `response` (the body the pool
sends), `meta.json` (endpoint, HTTP status, content type) and `expected` (the one-line error).

Run `python -m tests.corpus.cases` to rewrite the folders after changing a case here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ACCOUNT = "sim001"
GOOD_ROW: dict[str, Any] = {
    "date": 20261121,
    "earnings": 893185,
    "payment_time": "2026-11-22 03:55:00",
    "payment_tx": "f9dfe7e5e8",
    "address": "3GXC6gfthT9qtJJob4dmwX4YfZTD1ducJt",
    "paid_amount": 893185,
    "diff": 175837189179703,
    "payment_mode": "PPS",
    "earnings_rate": -5.0,
}


def page(rows: list[Any] | dict[str, Any], **fields: Any) -> str:
    """An earn-history page whose list is `rows` (a case gives an object in its place)."""
    data = {"page": "1", "page_size": "50", "page_count": 1, "total_count": len(rows), "list": rows}
    return json.dumps({"err_no": 0, "data": {**data, **fields}})


def row(**fields: Any) -> dict[str, Any]:
    return {**GOOD_ROW, **fields}


def envelope(data: Any) -> str:
    return json.dumps({"err_no": 0, "data": data})


STATS = {
    "total_paid": "100",
    "pending_payouts": "0",
    "last_payment_time": "0",
    "earnings_today": "1",
    "earnings_yesterday": "2",
    "unpaid": "3",
}
RATE = {"shares_15m": "22.88", "shares_15m_unit": "P", "shares_1d": "23.33", "shares_1d_unit": "P"}
WORKERS = {
    "workers_active": 1999,
    "workers_inactive": 1,
    "workers_dead": 1,
    "shares_1m": "22.55",
    "shares_5m": "22.79",
    "shares_15m": "22.85",
    "workers_total": 2000,
    "shares_unit": "P",
}
H = f"account '{ACCOUNT}', endpoint earn-history: "
RETRIED = " (gave up after 2 attempts)"

# name -> (endpoint, body, expected error); status 200 and JSON unless the name says otherwise
CASES: dict[str, tuple[str, str, str]] = {
    "not_json": (
        "earn-history",
        "this is not json",
        H + "body is not JSON: 'this is not json'" + RETRIED,
    ),
    "truncated_json": (
        "earn-history",
        page([row()])[:40],
        H + "body is not JSON: '" + page([row()])[:40] + "'" + RETRIED,
    ),
    "empty_body": ("earn-history", "", H + "body is not JSON: ''" + RETRIED),
    "html_error_page_200": (
        "earn-history",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        H + "body is not JSON: '<html><body><h1>502 Bad Gateway</h1></body></html>'" + RETRIED,
    ),
    "json_array_body": (
        "earn-history",
        "[1, 2, 3]",
        H + "page 1, field (body): expected a JSON object, got list",
    ),
    "data_null": (
        "earn-history",
        json.dumps({"err_no": 0, "data": None}),
        H + "err_no 0 but data is null" + RETRIED,
    ),
    "data_missing": (
        "earn-history",
        json.dumps({"err_no": 0}),
        H + "err_no 0 but data is missing" + RETRIED,
    ),
    "err_no_not_a_number": (
        "earn-history",
        json.dumps({"err_no": "x", "data": {}}),
        H + "page 1, field err_no: expected an integer, got 'x'",
    ),
    "list_missing": (
        "earn-history",
        envelope({"page": "1", "page_size": "50", "page_count": 1, "total_count": 0}),
        H + "page 1, field data.list: missing or not a list",
    ),
    "list_is_object": (
        "earn-history",
        page({"a": 1}),
        H + "page 1, field data.list: missing or not a list",
    ),
    "page_count_missing": (
        "earn-history",
        json.dumps(
            {
                "err_no": 0,
                "data": {"page": "1", "page_size": "50", "total_count": 1, "list": [row()]},
            }
        ),
        H + "page 1, field page_count: missing",
    ),
    "total_count_text": (
        "earn-history",
        page([row()], total_count="many"),
        H + "page 1, field total_count: not a number: 'many'",
    ),
    "page_count_negative": (
        "earn-history",
        page([row()], page_count=-1),
        H + "page 1, field page_count: negative count -1",
    ),
    "row_not_object": (
        "earn-history",
        page(["20261121"]),
        H + "page 1, field list[0]: expected an object, got str",
    ),
    "earnings_missing": (
        "earn-history",
        page([{k: v for k, v in row().items() if k != "earnings"}]),
        H + "page 1, field list[0].earnings: missing",
    ),
    "earnings_negative": (
        "earn-history",
        page([row(earnings=-5)]),
        H + "page 1, field list[0].earnings: negative satoshi amount -5",
    ),
    "earnings_fraction": (
        "earn-history",
        page([row(earnings=1.5)]),
        H + "page 1, field list[0].earnings: not an integer number of satoshi: 1.5",
    ),
    "earnings_decimal_text": (
        "earn-history",
        page([row(earnings="12.50")]),
        H + "page 1, field list[0].earnings: not an integer number of satoshi: '12.50'",
    ),
    "earnings_beyond_int64": (
        "earn-history",
        page([row(earnings=2**64)]),
        H + f"page 1, field list[0].earnings: satoshi amount {2**64} is beyond int64",
    ),
    "paid_amount_one_past_int64": (
        "earn-history",
        page([row(paid_amount=2**63)]),
        H + f"page 1, field list[0].paid_amount: satoshi amount {2**63} is beyond int64",
    ),
    "earnings_list": (
        "earn-history",
        page([row(earnings=[1])]),
        H + "page 1, field list[0].earnings: not a satoshi amount: [1]",
    ),
    "earnings_bool": (
        "earn-history",
        page([row(earnings=True)]),
        H + "page 1, field list[0].earnings: not a satoshi amount: True",
    ),
    "earnings_nan": (
        "earn-history",
        page([row()]).replace('"earnings": 893185', '"earnings": NaN'),
        H + "page 1, field list[0].earnings: not an integer number of satoshi: nan",
    ),
    "paid_amount_negative": (
        "earn-history",
        page([row(paid_amount=-1)]),
        H + "page 1, field list[0].paid_amount: negative satoshi amount -1",
    ),
    "paid_amount_infinity": (
        "earn-history",
        page([row()]).replace('"paid_amount": 893185', '"paid_amount": Infinity'),
        H + "page 1, field list[0].paid_amount: not an integer number of satoshi: inf",
    ),
    "date_impossible": (
        "earn-history",
        page([row(date=20170230)]),
        H + "page 1, field list[0].date: not a valid date: 20170230",
    ),
    "date_dashed": (
        "earn-history",
        page([row(date="2017-02-12")]),
        H + "page 1, field list[0].date: not a YYYYMMDD date: '2017-02-12'",
    ),
    "date_float": (
        "earn-history",
        page([row(date=20170212.0)]),
        H + "page 1, field list[0].date: not a YYYYMMDD date: 20170212.0",
    ),
    "date_missing": (
        "earn-history",
        page([{k: v for k, v in row().items() if k != "date"}]),
        H + "page 1, field list[0].date: not a YYYYMMDD date: None",
    ),
    "one_payment_listed_twice": (
        "earn-history",
        page([row(), row()]),
        H + "page 1, field list[1]: date 20261121 with payment_tx f9dfe7e5e8 is listed twice on "
        "one page",
    ),
    "one_date_two_earnings": (
        "earn-history",
        page([row(paid_amount=800000), row(earnings=893186, payment_tx="a1b2c3", paid_amount=1)]),
        H + "page 1, field list[1].earnings: date 20261121 has rows with different earnings "
        "(893185 and 893186 sat)",
    ),
    "huge_page": (
        "earn-history",
        page([row(date=20200101 + i % 28 + (i // 28) * 100) for i in range(5000)]),
        H + "page 1, field data.list: 5000 rows, more than page_size 50",
    ),
    "diff_nan": (
        "earn-history",
        page([row()]).replace('"diff": 175837189179703', '"diff": NaN'),
        H + "page 1, field list[0].diff: not a finite number: nan",
    ),
    "diff_text": (
        "earn-history",
        page([row(diff="hard")]),
        H + "page 1, field list[0].diff: not a number: 'hard'",
    ),
    "earnings_rate_object": (
        "earn-history",
        page([row(earnings_rate={"x": 1})]),
        H + "page 1, field list[0].earnings_rate: not a number: {'x': 1}",
    ),
    "payment_time_garbage": (
        "earn-history",
        page([row(payment_time="yesterday")]),
        H + "page 1, field list[0].payment_time: not a 'YYYY-MM-DD HH:MM:SS' time: 'yesterday'",
    ),
    "address_unicode": (
        "earn-history",
        page([row(address="3GXC6gfthT9qtJJob4dmwX4YfZTD1ducJт")]),
        H
        + "page 1, field list[0].address: not a valid value: '3GXC6gfthT9qtJJob4dmwX4YfZTD1ducJт'",
    ),
    "address_with_inner_space": (
        "earn-history",
        page([row(address="3GXC 6gfth")]),
        H + "page 1, field list[0].address: not a valid value: '3GXC 6gfth'",
    ),
    "payment_tx_number": (
        "earn-history",
        page([row(payment_tx=12345)]),
        H + "page 1, field list[0].payment_tx: not text: 12345",
    ),
    "earn_stats_unpaid_missing": (
        "earn-stats",
        envelope({k: v for k, v in STATS.items() if k != "unpaid"}),
        f"account '{ACCOUNT}', endpoint earn-stats: field unpaid: missing",
    ),
    "earn_stats_negative": (
        "earn-stats",
        envelope({**STATS, "total_paid": "-100"}),
        f"account '{ACCOUNT}', endpoint earn-stats: field total_paid: negative satoshi amount -100",
    ),
    "earn_stats_unix_time_text": (
        "earn-stats",
        envelope({**STATS, "last_payment_time": "soon"}),
        f"account '{ACCOUNT}', endpoint earn-stats: field last_payment_time: not a number: 'soon'",
    ),
    "hashrate_unit_unknown": (
        "hashrate",
        envelope({**RATE, "shares_15m_unit": "Z"}),
        f"account '{ACCOUNT}', endpoint hashrate: field shares_15m_unit: unknown hashrate unit 'Z'",
    ),
    "hashrate_negative": (
        "hashrate",
        envelope({**RATE, "shares_1d": "-2"}),
        f"account '{ACCOUNT}', endpoint hashrate: field shares_1d: negative hashrate '-2'",
    ),
    "hashrate_infinity": (
        "hashrate",
        envelope({**RATE, "shares_15m": "Infinity"}),
        f"account '{ACCOUNT}', endpoint hashrate: field shares_15m: not a finite number: 'Infinity'",
    ),
    "workers_missing": (
        "worker-stats",
        envelope({k: v for k, v in WORKERS.items() if k != "workers_active"}),
        f"account '{ACCOUNT}', endpoint worker-stats: field workers_active: missing",
    ),
    "workers_fraction": (
        "worker-stats",
        envelope({**WORKERS, "workers_total": 2.5}),
        f"account '{ACCOUNT}', endpoint worker-stats: field workers_total: not an integer: 2.5",
    ),
    "account_info_user_id_text": (
        "account-info",
        envelope({"user_id": "me", "address": "3GXC"}),
        f"account '{ACCOUNT}', endpoint account-info: field user_id: not a number: 'me'",
    ),
    "account_info_address_unicode": (
        "account-info",
        envelope({"user_id": 1, "address": "地址"}),
        f"account '{ACCOUNT}', endpoint account-info: field address: not a valid value: '地址'",
    ),
}


def write_cases() -> None:
    for name, (endpoint, body, expected) in CASES.items():
        folder = HERE / name
        folder.mkdir(exist_ok=True)
        content_type = "text/html" if body.startswith("<html") else "application/json"
        (folder / "response").write_text(body, encoding="utf-8")
        (folder / "meta.json").write_text(
            json.dumps({"endpoint": endpoint, "status": 200, "content_type": content_type}) + "\n"
        )
        (folder / "expected").write_text(expected + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_cases()
    print(f"{len(CASES)} cases written to {HERE}")
