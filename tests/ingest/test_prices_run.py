"""A prices run against the simulated market: the days each mined coin needs from its first
earning day, incrementally (today's candle again until its day has closed), gaps named, the
override files' rows written every run, a failing source reported while the rest lands."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.prices_report import PricesReport, day_ranges
from poolbooks.ingest.prices_run import fetch_prices
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.prices.client import CoinbaseCandles
from poolbooks.prices.overrides import OverrideFileError
from tests.conftest import SIM_BASE_URL, Sim

pytestmark = pytest.mark.anyio
QUICK = ClientSettings(
    requests_per_second=1000, concurrency=4, max_attempts=3, backoff_seconds=0.001,
    backoff_cap_seconds=0.01,
)  # fmt: skip
DAYS = 400  # of history: two ranges of at most 300 days per coin


@pytest.fixture
def sim(make_sim: Any) -> Sim:
    made: Sim = make_sim(days=DAYS)  # sim001 and sim002 mine BTC, sim003 BCH
    return made


def sim_config(sim: Sim, folder: Path, prices: str = "") -> Config:
    extra = f'[prices]\nbase_url = "{SIM_BASE_URL}"\n{prices}'
    path, environ = write_sim_config(folder, sim.pool, SIM_BASE_URL, extra)
    return load_config(path, environ)


async def lake_with_history(sim: Sim, config: Config) -> LakeStorage:
    storage = LakeStorage(config.lake)
    async with sim.client() as client:
        await ingest(config, config.accounts, storage, snapshots=False, client=client)
    return storage


async def prices(sim: Sim, config: Config, **kwargs: Any) -> PricesReport:
    client = CoinbaseCandles(
        SIM_BASE_URL, QUICK, transport=sim.transport(), clock=lambda: sim.pool.now
    )
    try:
        return await fetch_prices(config, LakeStorage(config.lake), client=client, **kwargs)
    finally:
        await client.aclose()


def lake_prices(config: Config) -> list[tuple[Any, ...]]:
    return duckdb.execute(
        "select coin, currency, date, close, source, final, run_id "
        f"from read_parquet('{config.lake}/prices/*/*.parquet', hive_partitioning=false) "
        "order by run_id, coin, date, source"
    ).fetchall()


def asked(report: PricesReport) -> dict[str, tuple[int, int, int]]:
    return {c: (s.requests, s.stored, s.final) for c, s in report.series.items()}


async def test_the_first_run_fetches_every_day_since_each_coins_first_earning_day(
    sim: Sim, tmp_path: Path
) -> None:
    config = sim_config(sim, tmp_path)
    await lake_with_history(sim, config)
    report = await prices(sim, config)
    first, today = sim.pool.first_day, sim.pool.now.date()
    assert asked(report) == {"BCH": (2, DAYS, DAYS - 1), "BTC": (2, DAYS, DAYS - 1)}
    assert report.series["BTC"].since == first and report.errors == []
    rows = lake_prices(config)
    assert len(rows) == 2 * DAYS and len({r[6] for r in rows}) == 1  # one run, one commit
    assert {r[2] for r in rows} == {first + timedelta(n) for n in range(DAYS)}
    assert [r[2] for r in rows if not r[5]] == [today, today]  # only today is not final
    assert all(r[1] == "USD" and r[4] == "coinbase" and type(r[3]) is Decimal for r in rows)


async def test_a_second_run_the_same_day_asks_for_today_alone(sim: Sim, tmp_path: Path) -> None:
    config = sim_config(sim, tmp_path)
    await lake_with_history(sim, config)
    await prices(sim, config)
    sim.pool.advance(seconds=3600)
    again = await prices(sim, config)
    assert asked(again) == {"BCH": (1, 1, 0), "BTC": (1, 1, 0)}
    assert {r[2] for r in lake_prices(config) if r[6] == again.run_id} == {sim.pool.now.date()}


async def test_after_midnight_yesterday_is_stored_final_and_nothing_else_asked(
    sim: Sim, tmp_path: Path
) -> None:
    config = sim_config(sim, tmp_path)
    await lake_with_history(sim, config)
    await prices(sim, config)
    yesterday = sim.pool.now.date()
    sim.pool.advance(days=1)
    next_day = await prices(sim, config)
    assert asked(next_day) == {"BCH": (1, 2, 1), "BTC": (1, 2, 1)}
    new = [r for r in lake_prices(config) if r[6] == next_day.run_id]
    assert [(r[2], r[5]) for r in new if r[0] == "BTC"] == [
        (yesterday, True),
        (yesterday + timedelta(1), False),
    ]
    settled = await prices(sim, config)  # later that day: today only, again
    assert asked(settled) == {"BCH": (1, 1, 0), "BTC": (1, 1, 0)}


async def test_days_the_source_lacks_are_gaps_named_not_failures(sim: Sim, tmp_path: Path) -> None:
    config = sim_config(sim, tmp_path)
    report = await prices(sim, config, since=date(2017, 7, 20))  # BCH trades from 08-01
    bch = report.series["BCH"]
    assert bch.gaps == [date(2017, 7, 20) + timedelta(n) for n in range(12)]
    assert day_ranges(bch.gaps) == "2017-07-20..2017-07-31 (12 days)"
    assert report.series["BTC"].gaps == [] and report.errors == []
    assert bch.stored == bch.needed - 12


async def test_override_rows_are_written_every_run_and_their_days_not_asked(
    sim: Sim, tmp_path: Path
) -> None:
    (tmp_path / "bch.csv").write_text("date,price\n2017-07-30,300.5\n2017-07-31,301.25\n")
    config = sim_config(sim, tmp_path, 'since = 2017-07-30\noverrides = { BCH = "bch.csv" }\n')
    first = await prices(sim, config)
    second = await prices(sim, config)
    assert first.series["BCH"].gaps == [] and first.series["BCH"].overrides == 2
    assert second.series["BCH"].requests == 1  # today's candle: the override days are not asked
    overrides = {(r[6], r[2], r[3], r[5]) for r in lake_prices(config) if r[4] == "override"}
    assert overrides == {
        (run.run_id, day, price, True)
        for run in (first, second)
        for day, price in (
            (date(2017, 7, 30), Decimal("300.5")),
            (date(2017, 7, 31), Decimal("301.25")),
        )
    }


async def test_a_bad_override_file_stops_the_run_before_any_request(
    sim: Sim, tmp_path: Path
) -> None:
    (tmp_path / "btc.csv").write_text("date,price\n2024-01-01,0\n")
    config = sim_config(sim, tmp_path, 'overrides = { BTC = "btc.csv" }\n')
    with pytest.raises(OverrideFileError, match=r"btc\.csv line 2: date 2024-01-01"):
        await prices(sim, config)
    assert sim.state.requests == 0
    assert not (Path(config.lake) / "prices").exists()


async def test_a_source_that_keeps_failing_is_reported_and_the_rest_lands(
    sim: Sim, tmp_path: Path
) -> None:
    config = sim_config(sim, tmp_path)
    await lake_with_history(sim, config)
    real = sim.app.state.sim.faults
    sim.set_faults("5xx=1")
    down = await prices(sim, config, since=sim.pool.now.date() - timedelta(days=5))
    assert [s.error is not None for s in down.series.values()] == [True, True]
    assert down.errors[0].startswith("BCH-USD from coinbase: HTTP 5")
    assert "gave up after 3 attempts" in down.errors[0]
    sim.state.faults = real
    back = await prices(sim, config, since=sim.pool.now.date() - timedelta(days=5))
    assert back.errors == [] and asked(back)["BTC"] == (1, 6, 5)


async def test_since_from_the_config_or_the_command_wins_over_the_history(
    sim: Sim, tmp_path: Path
) -> None:
    config = sim_config(sim, tmp_path, 'since = 2026-11-01\ncurrency = "eur"\n')
    await lake_with_history(sim, config)
    report = await prices(sim, config)
    assert {s.since for s in report.series.values()} == {date(2026, 11, 1)}
    assert {r[1] for r in lake_prices(config)} == {"EUR"}
    told = await prices(sim, config, since=date(2026, 10, 1))
    assert told.series["BTC"].since == date(2026, 10, 1) and told.series["BTC"].needed == 32
