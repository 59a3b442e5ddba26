"""`stg_prices`: the lake's price rows in the warehouse as they were fetched, exact decimals,
candles and override rows side by side."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.ingest.prices_run import fetch_prices
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.prices.client import CoinbaseCandles
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import FAST_SETTINGS, SIM_BASE_URL, Sim

pytestmark = pytest.mark.anyio


async def test_stg_prices_holds_every_observed_row_exactly(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(days=20)
    (tmp_path / "btc.csv").write_text("date,price\n2016-01-01,430.0123456789\n")
    extra = f'[prices]\nbase_url = "{SIM_BASE_URL}"\noverrides = {{ BTC = "btc.csv" }}\n'
    path, environ = write_sim_config(tmp_path, sim.pool, SIM_BASE_URL, extra)
    config = load_config(path, environ)
    storage = LakeStorage(config.lake)
    async with sim.client() as client:
        await ingest(config, config.accounts, storage, client=client)
    source = CoinbaseCandles(SIM_BASE_URL, FAST_SETTINGS, sim.transport(), lambda: sim.pool.now)
    try:
        await fetch_prices(config, storage, client=source)
    finally:
        await source.aclose()
    assert build_warehouse(config).failed_tests == []
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        counts = con.execute(
            "select coin, source, count(*), count(*) filter (where final) from stg_prices "
            "group by all order by all"
        ).fetchall()
        ((close, kind),) = con.execute(
            "select close, typeof(close) from stg_prices where source = 'override'"
        ).fetchall()
        ((day,),) = con.execute("select date from stg_prices where source = 'override'").fetchall()
    assert counts == [
        ("BCH", "coinbase", 20, 19),
        ("BTC", "coinbase", 20, 19),
        ("BTC", "override", 1, 1),
    ]
    assert (close, kind, day) == (Decimal("430.0123456789"), "DECIMAL(38,10)", date(2016, 1, 1))
