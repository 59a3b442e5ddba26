"""Days paid in several payments, as the real pool serves them (several rows of one date, the
day's earnings on each, maybe on two pages), from hand-written pages through the real client,
lake and build to the marts, the tax exports and the ledger; every figure written here."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import anyio
import duckdb
import httpx
import pytest
from typer.testing import CliRunner

from poolbooks.cli import app
from poolbooks.config import load_config
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api.client import PoolClient
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import FAST_SETTINGS

pytestmark = pytest.mark.anyio
BEAN_CHECK = str(Path(sys.executable).with_name("bean-check"))
TX_A, TX_B, TX_C = "a" * 64, "b" * 64, "c" * 64


def row(day: str, earnings: int, paid: int, tx: str, at: str, **extra: Any) -> dict[str, Any]:
    return {
        "date": int(day),
        "earnings": str(earnings),
        "paid_amount": paid,
        "payment_tx": tx,
        "payment_time": at,
        "address": "3Pay" if tx else "",
        "diff": 110000000000000,
        "payment_mode": "PPS",
        **extra,
    }


# 1 January paid in two payments (A, then B with 2 January); 3 January paid in part (C), the
# rest waiting; 4 January running. Oldest first with two rows a page, 3 January's rows end
# page 2 and start page 3; newest first, they end page 1 and start page 2.
ROWS = [
    row("20260101", 1000, 600, TX_A, "2026-01-02 01:00:00"),
    row("20260101", 1000, 400, TX_B, "2026-01-03 01:00:00"),
    row("20260102", 2000, 2000, TX_B, "2026-01-03 01:00:00"),
    row("20260103", 500, 300, TX_C, "2026-01-04 01:00:00"),
    row("20260103", 500, 0, "", "0", unpaid_reason="below the threshold"),
    row("20260104", 0, 0, "", "0"),
]
ORDERS = {"11": "oldest_first", "22": "newest_first"}


def pool(request: httpx.Request) -> httpx.Response:
    params = request.url.params
    rows = ROWS if ORDERS[params["puid"]] == "oldest_first" else ROWS[::-1]
    page, size = int(params["page"]), 2
    data = {
        "page": str(page),
        "page_size": str(size),
        "page_count": 3,
        "total_count": 6,
        "list": rows[(page - 1) * size : page * size],
    }
    return httpx.Response(200, content=json.dumps({"err_no": 0, "data": data}).encode())


@pytest.fixture
async def built(tmp_path: Path) -> Path:
    (tmp_path / "poolbooks.toml").write_text(
        "".join(
            f'[[accounts]]\nname = "{order}"\npuid = {puid}\naccess_key_env = "K"\n'
            'base_url = "http://pool.test"\n'
            for puid, order in ORDERS.items()
        )
    )
    config = load_config(tmp_path / "poolbooks.toml", {"K": "hand-key"})
    client = PoolClient(FAST_SETTINGS, transport=httpx.MockTransport(pool))
    report = await ingest(
        config, config.accounts, LakeStorage(config.lake), snapshots=False, client=client
    )
    assert report.failed == []
    assert {o.history_pages for o in report.outcomes.values()} == {3 + 1}  # no drift seen
    assert build_warehouse(config).failed_tests == []
    return tmp_path / "poolbooks.toml"


def query(config: Path, sql: str) -> list[tuple[Any, ...]]:
    warehouse = config.parent / "data" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


D1, D2, D3, D4 = (date(2026, 1, d) for d in (1, 2, 3, 4))


def at(day: int) -> datetime:
    return datetime(2026, 1, day, 1, tzinfo=UTC)


async def test_a_day_of_several_payments_is_one_day_and_each_payment_a_payout(
    built: Path,
) -> None:
    for account in ORDERS.values():
        days = query(
            built,
            "select date, earnings_sat, paid_amount_sat, payments, payment_tx, payment_time, "
            "status, cumulative_earnings_sat, cumulative_paid_sat, unpaid_balance_sat "
            f"from daily_earnings where account = '{account}' order by date",
        )
        assert days == [
            (D1, 1000, 1000, 2, TX_B, at(3), "paid", 1000, 1000, 0),  # its last payment's
            (D2, 2000, 2000, 1, TX_B, at(3), "paid", 3000, 3000, 0),
            (D3, 500, 300, 1, TX_C, at(4), "paid", 3500, 3300, 200),  # 200 still owed
            (D4, 0, 0, 0, None, None, "empty", 3500, 3300, 200),
        ], account
        payouts = query(
            built,
            "select payment_tx, payment_time, paid_sat, earning_days, first_date, last_date "
            f"from payouts where account = '{account}' order by payment_time",
        )
        assert payouts == [
            (TX_A, at(2), 600, 1, D1, D1),
            (TX_B, at(3), 2400, 2, D1, D2),
            (TX_C, at(4), 300, 1, D3, D3),
        ], account
    totals = query(
        built, "select earned_sat, paid_sat, computed_unpaid_sat from payout_reconciliation"
    )
    assert totals == [(3500, 3300, 200)] * 2
    assert query(built, "select count(*) from reconciliation_issues") == [(0,)]


def export(config: Path, folder: Path, *args: str) -> list[dict[str, str]]:
    out = folder / "out.csv"
    result = CliRunner().invoke(
        app,
        [
            *("export", "tax", "--config", str(config), "--year", "2026", "--format", "generic"),
            *("--account", "oldest_first", "--output", str(out), *args),
        ],
    )
    assert result.exit_code == 0, result.output
    with out.open() as handle:
        return list(csv.DictReader(handle))


async def test_exports_take_each_payment_on_receipt_and_each_day_once_on_accrual(
    built: Path, tmp_path: Path
) -> None:
    receipts = export(built, tmp_path)
    assert [
        (r["timestamp_utc"], r["amount"], r["amount_sat"], r["payment_tx"]) for r in receipts
    ] == [
        ("2026-01-02T01:00:00Z", "0.00000600", "600", TX_A),
        ("2026-01-03T01:00:00Z", "0.00002400", "2400", TX_B),
        ("2026-01-04T01:00:00Z", "0.00000300", "300", TX_C),
    ]
    accruals = export(built, tmp_path, "--basis", "accrual")
    assert [(r["timestamp_utc"], r["amount_sat"]) for r in accruals] == [
        ("2026-01-01T00:00:00Z", "1000"),  # earned once, though paid twice
        ("2026-01-02T00:00:00Z", "2000"),
        ("2026-01-03T00:00:00Z", "500"),
    ]


async def test_the_ledger_books_each_payment_and_beancount_accepts_it(
    built: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mining.beancount"
    result = CliRunner().invoke(
        app,
        [
            *("export", "ledger", "--config", str(built), "--year", "2026"),
            *("--account", "newest_first", "--output", str(out)),
        ],
    )
    assert result.exit_code == 0, result.output
    check = await anyio.to_thread.run_sync(
        lambda: subprocess.run([BEAN_CHECK, str(out)], capture_output=True, text=True, check=False)
    )
    assert check.returncode == 0, check.stdout + check.stderr
    from beancount import loader
    from beancount.core.data import Transaction

    entries, errors, _ = loader.load_file(str(out))
    assert errors == []
    units = [str(p.units) for e in entries if isinstance(e, Transaction) for p in e.postings]
    assert units == [
        "0.00000600 BTC",
        "-0.00000600 BTC",
        "0.00002400 BTC",
        "-0.00002400 BTC",
        "0.00000300 BTC",
        "-0.00000300 BTC",
    ]
