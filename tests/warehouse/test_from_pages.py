"""Hand-written earn-history pages, through the real client and parser, to the marts: both
page orders and numbers sent as strings, every expected figure written here."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from poolbooks.config import load_config
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api.client import PoolClient
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import FAST_SETTINGS

pytestmark = pytest.mark.anyio
PAID_AT = "2026-01-03 01:00:00"  # in the pool's zone, Asia/Shanghai: 2026-01-02 17:00 UTC
# One payout (tx1) covering two days, then a day not yet paid. Every number is a string.
ROWS = [
    {"date": "20260101", "earnings": "1000", "paid_amount": "1000", "payment_tx": "tx1",
     "payment_time": PAID_AT, "address": " 3Pay ", "diff": "100000000000000",
     "payment_mode": "PPS", "earnings_rate": "0"},
    {"date": "20260102", "earnings": "2000", "paid_amount": "2000", "payment_tx": "tx1",
     "payment_time": PAID_AT, "address": "3Pay\n", "diff": "110000000000000",
     "payment_mode": "PPS", "earnings_rate": "100"},
    {"date": "20260103", "earnings": "500", "paid_amount": "0", "payment_tx": "",
     "payment_time": "0", "address": "", "diff": "110000000000000",
     "payment_mode": "PPS", "earnings_rate": "-75"},
]  # fmt: skip
ORDERS = {"11": "newest_first", "22": "oldest_first"}  # puid -> how that account pages


def pool(request: httpx.Request) -> httpx.Response:
    params = request.url.params
    rows = sorted(ROWS, key=lambda r: r["date"], reverse=ORDERS[params["puid"]] == "newest_first")
    page, size = int(params.get("page", "1")), 2
    data = {
        "page": str(page),
        "page_size": str(size),
        "page_count": "2",
        "total_count": "3",
        "list": rows[(page - 1) * size : page * size],
    }
    return httpx.Response(200, content=json.dumps({"err_no": 0, "data": data}).encode())


async def test_both_orders_and_string_numbers_reach_the_marts_exactly(tmp_path: Path) -> None:
    (tmp_path / "poolbooks.toml").write_text(
        'timezone = "Asia/Shanghai"\n'
        + "".join(
            f'[[accounts]]\nname = "{order}"\npuid = {puid}\naccess_key_env = "K"\n'
            'base_url = "http://pool.test"\n'
            for puid, order in ORDERS.items()
        )
    )
    config = load_config(tmp_path / "poolbooks.toml", {"K": "hand-key"})
    client = PoolClient(
        FAST_SETTINGS, timezone=config.timezone, transport=httpx.MockTransport(pool)
    )
    report = await ingest(
        config, config.accounts, LakeStorage(config.lake), snapshots=False, client=client
    )
    assert report.failed == []
    assert build_warehouse(config).failed_tests == []
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        days = con.sql(
            "select account, date, earnings_sat, paid_amount_sat, cumulative_earnings_sat, "
            "cumulative_paid_sat, unpaid_balance_sat, payout_address, status, "
            "earnings_rate_pct from daily_earnings order by account, date"
        ).fetchall()
        payouts = con.sql(
            "select account, payment_tx, payment_time, address, paid_sat, earning_days, "
            "first_date, last_date from payouts order by account"
        ).fetchall()
        totals = con.sql(
            "select account, earned_sat, paid_sat, computed_unpaid_sat "
            "from payout_reconciliation order by account"
        ).fetchall()
        change = con.sql(
            "select date, difficulty_change_pct, earnings_change_pct from earnings_vs_difficulty "
            "where account = 'newest_first' order by date"
        ).fetchall()
    d1, d2, d3 = date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)
    for account in ("newest_first", "oldest_first"):
        assert [row[1:] for row in days if row[0] == account] == [
            (d1, 1000, 1000, 1000, 1000, 0, "3Pay", "paid", 0.0),
            (d2, 2000, 2000, 3000, 3000, 0, "3Pay", "paid", 100.0),
            (d3, 500, 0, 3500, 3000, 500, None, "unpaid", -75.0),
        ]
    assert {row[2] for row in payouts} == {datetime(2026, 1, 2, 17, tzinfo=UTC)}
    assert [row[:2] + row[3:] for row in payouts] == [
        ("newest_first", "tx1", "3Pay", 3000, 2, d1, d2),
        ("oldest_first", "tx1", "3Pay", 3000, 2, d1, d2),
    ]
    assert totals == [("newest_first", 3500, 3000, 500), ("oldest_first", 3500, 3000, 500)]
    assert change[0] == (d1, None, None)
    assert change[1][1] == pytest.approx(10.0) and change[1][2] == pytest.approx(100.0)
    assert change[2][1] == pytest.approx(0.0) and change[2][2] == pytest.approx(-75.0)
