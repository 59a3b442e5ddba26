"""`poolbooks prices`, and `poolbooks ingest` with a `[prices]` table, as real processes against
the simulator: what they print, what they store, and their exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import httpx
import pytest

from harness.loopback import free_port
from poolbooks.demo_config import write_sim_config
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app

POOLBOOKS = str(Path(sys.executable).with_name("poolbooks"))
QUICK = "[client]\nrequests_per_second = 200\nmax_attempts = 2\nbackoff_seconds = 0.01\n"

pytestmark = pytest.mark.slow


@pytest.fixture
def live_sim() -> Iterator[RunningSimulator]:
    """A pool whose clock is the wall's, as the command's own is (today's candle is the wall's
    today: the clock stays put for the seconds a test takes)."""
    pool = SimulatedPool(n_accounts=3, days=30, now=datetime.now(UTC))
    with running_simulator(create_app(pool)) as running:
        yield running


def days_ago(sim: RunningSimulator, days: int) -> date:
    return sim.state.pool.now.date() - timedelta(days=days)


def setup(
    folder: Path, sim: RunningSimulator, prices: str = "", source: str | None = None
) -> tuple[Path, dict[str, str]]:
    """The simulator's accounts and its candles (or those of `source`) at a quick rate."""
    table = f'[prices]\nbase_url = "{source or sim.base_url}"\nrequests_per_second = 200\n'
    table += prices
    path, environ = write_sim_config(folder, sim.state.pool, sim.base_url, QUICK + table)
    return path, {**os.environ, **environ}


def poolbooks(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POOLBOOKS, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def candle_requests(sim: RunningSimulator) -> int:
    return sim.state.by_endpoint.get("candles", 0)


def stored(folder: Path) -> list[tuple[str, int]]:
    lake = folder / "data" / "lake" / "prices"
    if not lake.exists():
        return []
    return duckdb.execute(
        f"select coin, count(*) from read_parquet('{lake}/*/*.parquet') group by coin order by 1"
    ).fetchall()


def test_prices_stores_each_coins_days_and_then_only_today(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    since = days_ago(live_sim, 29)
    config, env = setup(tmp_path, live_sim, f"since = {since}\n")
    first = poolbooks("prices", "--config", str(config), env=env)
    assert first.returncode == 0, first.stderr
    for product in ("BTC-USD", "BCH-USD"):
        line = f"prices {product} from {since}: 30 days stored (29 final) in 1 requests"
        assert line in first.stdout
    assert first.stderr == ""  # no gap
    assert stored(tmp_path) == [("BCH", 30), ("BTC", 30)]
    again = poolbooks("prices", "--config", str(config), env=env)
    assert again.returncode == 0, again.stderr
    assert f"prices BTC-USD from {since}: 1 days stored (0 final) in 1 requests" in again.stdout
    assert candle_requests(live_sim) == 4


def test_days_without_a_candle_are_a_warning_and_exit_0(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim)
    done = poolbooks("prices", "--config", str(config), "--since", "2017-07-30", env=env)
    assert done.returncode == 0, done.stderr
    assert "warning: BCH-USD: no candle for 2017-07-30..2017-07-31 (2 days)" in done.stderr
    assert "BTC-USD: no candle" not in done.stderr


def test_a_bad_override_file_is_exit_2_naming_file_and_date_and_nothing_is_asked(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    (tmp_path / "btc.csv").write_text("date,price\n2026-01-01,1\n2026-01-01,2\n")
    config, env = setup(tmp_path, live_sim, 'overrides = { BTC = "btc.csv" }\n')
    for command in ("prices", "ingest"):
        done = poolbooks(command, "--config", str(config), env=env)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip().splitlines() == [
            f"error: config error: [prices] overrides.BTC: {tmp_path / 'btc.csv'} line 3: "
            "date 2026-01-01: a second price, 2 (line 2 has 1); keep one"
        ]
    assert live_sim.state.requests == 0 and stored(tmp_path) == []


def test_a_source_that_fails_after_retries_is_exit_3_and_named(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim, f"since = {days_ago(live_sim, 3)}\n")
    httpx.post(live_sim.base_url + "/_sim/faults", json={"spec": "5xx=1"})
    done = poolbooks("prices", "--config", str(config), env=env)
    assert done.returncode == 3
    assert "failed: BCH-USD from coinbase: HTTP 5" in done.stderr
    assert "gave up after 2 attempts" in done.stderr and "Traceback" not in done.stderr


def test_a_since_that_is_not_a_date_is_a_usage_error(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    config, env = setup(tmp_path, live_sim)
    done = poolbooks("prices", "--config", str(config), "--since", "2026-13-01", env=env)
    assert done.returncode == 2 and "--since" in done.stderr
    assert live_sim.state.requests == 0


def test_ingest_fetches_prices_only_with_a_prices_table(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    plain, env = write_sim_config(tmp_path / "plain", live_sim.state.pool, live_sim.base_url, QUICK)
    done = poolbooks("ingest", "--config", str(plain), env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    assert candle_requests(live_sim) == 0 and "prices run" not in done.stdout
    config, env = setup(tmp_path / "priced", live_sim)
    done = poolbooks("ingest", "--config", str(config), env=env)
    assert done.returncode == 0, done.stderr
    first_day = live_sim.state.pool.first_day
    assert f"prices BTC-USD from {first_day}: 30 days stored (29 final)" in done.stdout
    assert stored(tmp_path / "priced") == [("BCH", 30), ("BTC", 30)]


def test_ingest_keeps_the_pools_data_when_the_price_source_fails_and_exits_3(
    live_sim: RunningSimulator, tmp_path: Path
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    config, env = setup(tmp_path, live_sim, source=nobody)
    done = poolbooks("ingest", "--config", str(config), env=env)
    assert done.returncode == 3
    assert f"cannot connect to {nobody}: connection refused (is the price source running?)" in (
        done.stderr
    )
    history = tmp_path / "data" / "lake" / "earn_history"
    assert history.exists() and list(history.rglob("*.parquet"))
    assert stored(tmp_path) == []
