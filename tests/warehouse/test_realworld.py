"""The real-world earn-history examples that are a whole history, served through the real client
into a lake and built: every figure of the marts written here (tests/fixtures/realworld)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from poolbooks.config import load_config
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api.client import PoolClient
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import FAST_SETTINGS
from tests.pool_api.realworld import load_fixture, served_body

pytestmark = pytest.mark.anyio
# account -> (puid, fixture): each fixture is that account's whole history, one page
HISTORIES = {
    "apidocs_en": (11, "apidocs_en_earn_history"),
    "apidocs_zh": (12, "apidocs_zh_earn_history"),
    "btcpool_export": (13, "btcpoolexport_earn_history_one_date_two_rows"),
}
TX = "466af581cbf52af00dc0273ced28c17e8b7a7c6a92a4ce0ae104af4ff0d557c0"
ADDRESS = "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv"
PAID_AT = datetime(2017, 2, 13, 1, 45, 37, tzinfo=UTC)  # "2017-02-13 01:45:37", zone UTC


async def test_whole_histories_reach_the_marts_with_every_figure(tmp_path: Path) -> None:
    bodies = {str(puid): served_body(load_fixture(name)) for puid, name in HISTORIES.values()}
    asked: list[tuple[str, str]] = []

    def pool(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        asked.append((params["puid"], params["page"]))
        return httpx.Response(200, content=bodies[params["puid"]])

    (tmp_path / "poolbooks.toml").write_text(
        'timezone = "UTC"\n'
        + "".join(
            f'[[accounts]]\nname = "{name}"\npuid = {puid}\naccess_key_env = "K"\n'
            'base_url = "http://pool.test"\n'
            for name, (puid, _) in HISTORIES.items()
        )
    )
    config = load_config(tmp_path / "poolbooks.toml", {"K": "realworld-key"})
    client = PoolClient(
        FAST_SETTINGS, timezone=config.timezone, transport=httpx.MockTransport(pool)
    )
    report = await ingest(
        config, config.accounts, LakeStorage(config.lake), snapshots=False, client=client
    )

    # page_count 1: one request per account, none repeated (the refusal is final)
    assert sorted(asked) == [("11", "1"), ("12", "1"), ("13", "1")]
    assert [(o.account, o.error, o.history_rows) for o in report.failed] == [
        (
            "btcpool_export",
            "account 'btcpool_export', endpoint earn-history: page 1, field list[1].earnings: "
            "date 20180101 has rows with different earnings (38000 and 66666666 sat)",
            0,
        )
    ]
    assert report.outcomes["apidocs_en"].history_rows == 2
    assert report.outcomes["apidocs_zh"].history_rows == 2
    assert build_warehouse(config).failed_tests == []

    days = query(
        config.warehouse,
        "select account, date, earnings_sat, earnings_btc, paid_amount_sat, payments, "
        "payment_tx, payment_time, payout_address, payment_mode, difficulty, earnings_rate_pct, "
        "cumulative_earnings_sat, cumulative_paid_sat, unpaid_balance_sat, status "
        "from daily_earnings order by account, date",
    )
    payouts = query(
        config.warehouse,
        "select account, payment_tx, payment_time, address, paid_sat, earning_days, first_date, "
        "last_date from payouts order by account",
    )
    issues = query(config.warehouse, "select * from reconciliation_issues")
    totals = query(
        config.warehouse,
        "select account, earned_sat, paid_sat, computed_unpaid_sat, issue_count "
        "from payout_reconciliation order by account",
    )

    # date, earnings_sat, earnings_btc, paid_amount_sat, payments, payment_tx, payment_time,
    # payout_address, payment_mode, difficulty, earnings_rate_pct, cumulative earnings and paid,
    # unpaid_balance_sat
    paid_day: tuple[Any, ...] = (date(2017, 2, 12), 1380002903, Decimal("13.80002903"))
    paid_day += (1380002903, 1, TX, PAID_AT, ADDRESS, "PPS", 422170566884.0, 0.044)
    paid_day += (1380002903, 1380002903, 0)
    empty_day: tuple[Any, ...] = (date(2017, 2, 13), 0, Decimal("0E-8"), 0, 0, None, None, None)
    empty_day += ("PPS", 422170566884.0, 0.0, 1380002903, 1380002903, 0)
    assert days == [
        ("apidocs_en", *paid_day, "paid"),
        ("apidocs_en", *empty_day, "empty"),
        ("apidocs_zh", *paid_day, "paid"),
        ("apidocs_zh", *empty_day, "empty"),
    ]  # nothing of btcpool_export: its only page was refused, the others' rows kept
    payout = (TX, PAID_AT, ADDRESS, 1380002903, 1, date(2017, 2, 12), date(2017, 2, 12))
    assert payouts == [("apidocs_en", *payout), ("apidocs_zh", *payout)]
    assert issues == []  # no gap, no payment before its day ended, nothing changed
    assert totals == [
        ("apidocs_en", 1380002903, 1380002903, 0, 0),
        ("apidocs_zh", 1380002903, 1380002903, 0, 0),
    ]


def query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()
