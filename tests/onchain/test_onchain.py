"""On-chain checks: Esplora answers parsed to the satoshi, payouts checked once confirmed."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.http.errors import MalformedData
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.onchain_checks import check_payouts, payouts_to_check
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.onchain.esplora import EsploraClient
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import FAST_SETTINGS, SIM_BASE_URL, Sim

pytestmark = pytest.mark.anyio
TX = "ab" * 32


def esplora(body: Any, status: int = 200) -> EsploraClient:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == f"/api/tx/{TX}"
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.Response(status, content=content)

    settings = ClientSettings(max_attempts=1)
    return EsploraClient("http://chain.test/api", settings, transport=httpx.MockTransport(handler))


async def test_outputs_to_the_payout_address_are_summed() -> None:
    body = {
        "txid": TX,
        "vout": [
            {"scriptpubkey_address": "3Pay", "value": 600},
            {"scriptpubkey_address": "3Change", "value": 99999},
            {"scriptpubkey_address": "3Pay", "value": 400},
        ],
        "status": {"confirmed": True, "block_height": 840001, "block_time": 1713600000},
    }
    tx = await esplora(body).transaction("main", TX, "3Pay")
    assert (tx.found, tx.confirmed, tx.onchain_sat, tx.block_height) == (True, True, 1000, 840001)
    assert tx.block_time == datetime.fromtimestamp(1713600000, UTC)


async def test_unconfirmed_and_unknown_transactions() -> None:
    pending = await esplora({"vout": [], "status": {"confirmed": False}}).transaction("m", TX, "3P")
    assert (pending.found, pending.confirmed, pending.onchain_sat) == (True, False, 0)
    missing = await esplora(b"Transaction not found", 404).transaction("m", TX, "3P")
    assert (missing.found, missing.confirmed, missing.onchain_sat) == (False, False, None)
    garbled = await esplora(b"Invalid hex string", 400).transaction("m", TX, "3P")
    assert (garbled.found, garbled.confirmed) == (False, False)


async def test_a_malformed_answer_names_the_field() -> None:
    with pytest.raises(MalformedData, match=r"field vout\[0\].value: not satoshi"):
        await esplora({"vout": [{"value": 1.5}]}).transaction("main", TX, "3P")


async def test_payouts_are_checked_until_confirmed_then_cached(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=3, days=40)
    esplora = f'esplora_url = "{SIM_BASE_URL}/esplora"\n'
    esplora += f'esplora_urls = {{ BCH = "{SIM_BASE_URL}/esplora" }}'  # sim003 mines BCH
    path, environ = write_sim_config(tmp_path, sim.pool, SIM_BASE_URL, esplora)
    config = load_config(path, environ)
    storage = LakeStorage(config.lake)
    await ingest(config, config.accounts, storage, client=sim.client())
    payouts = payouts_to_check(storage)
    assert {p.payment_tx for p in payouts} == set(sim.pool.payouts())
    pending = payouts[0].payment_tx
    real = sim.pool.transaction

    def first_unconfirmed(txid: str) -> dict[str, Any] | None:
        answer = real(txid)
        if answer is not None and txid == pending:
            answer = {**answer, "status": {"confirmed": False}}
        return answer

    sim.pool.transaction = first_unconfirmed  # type: ignore[method-assign]

    def client() -> EsploraClient:
        return EsploraClient(f"{SIM_BASE_URL}/esplora", FAST_SETTINGS, transport=sim.transport())

    first = await check_payouts(config, storage, client())
    assert (first.checked, first.confirmed) == (len(payouts), len(payouts) - 1)
    assert build_warehouse(config).failed_tests == []
    sim.pool.transaction = real  # type: ignore[method-assign]
    second = await check_payouts(config, storage, client())
    assert (second.checked, second.confirmed) == (1, 1)
    third = await check_payouts(config, storage, client())
    assert third.checked == 0


async def test_a_coin_with_no_esplora_is_not_asked_and_said_so(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=3, days=40)  # sim001 and sim002 mine BTC, sim003 BCH
    path, environ = write_sim_config(
        tmp_path, sim.pool, SIM_BASE_URL, f'esplora_url = "{SIM_BASE_URL}/esplora"'
    )
    config = load_config(path, environ)
    assert config.esplora_url_for("BTC") == f"{SIM_BASE_URL}/esplora"
    assert config.esplora_url_for("BCH") is None
    storage = LakeStorage(config.lake)
    await ingest(config, config.accounts, storage, client=sim.client())
    payouts = payouts_to_check(storage)
    bch = [p for p in payouts if p.coin == "BCH"]
    client = EsploraClient(f"{SIM_BASE_URL}/esplora", FAST_SETTINGS, transport=sim.transport())
    report = await check_payouts(config, storage, client)
    assert bch and report.not_asked == {"BCH": len(bch)}
    assert report.checked == len(payouts) - len(bch)
    assert build_warehouse(config).failed_tests == []
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        coins = con.sql("select distinct coin from payout_onchain").fetchall()
        kinds = con.sql("select distinct kind from reconciliation_issues").fetchall()
    assert coins == [("BTC",)] and not [k for (k,) in kinds if k.startswith("onchain")]
