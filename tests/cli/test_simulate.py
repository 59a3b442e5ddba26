"""`poolbooks simulate`: the pool a config's `[simulator]` table describes, options over it."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from typer.testing import CliRunner

from poolbooks.cli import app
from poolbooks.demo import write_demo_config
from poolbooks.simulator import server
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.state import SimulatorState

ENDED = datetime(2026, 3, 10, 23, 40, tzinfo=UTC)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What `simulate` would serve, and where, caught instead of served."""
    caught: dict[str, Any] = {}

    def listen(host: str, port: int) -> socket.socket:
        caught.update(host=host, port=port)
        return socket.socket()

    def serve(app: Starlette, listener: socket.socket) -> None:
        caught.update(state=app.state.sim)
        listener.close()

    monkeypatch.setattr(server, "listen", listen)
    monkeypatch.setattr(server, "serve", serve)
    return caught


def demo_config(folder: Path) -> Path:
    pool = SimulatedPool(n_accounts=3, new_accounts=1, days=60, now=ENDED, start=date(2026, 1, 10))
    return write_demo_config(folder, pool, 8799)[0]


def test_simulate_serves_the_configs_pool_with_given_options_over_it(
    tmp_path: Path, served: dict[str, Any]
) -> None:
    config = demo_config(tmp_path)
    args = ["simulate", "--config", str(config), "--port", "9002", "--clock", "fixed"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    state: SimulatorState = served["state"]
    assert (served["host"], served["port"], state.wall_clock) == ("127.0.0.1", 9002, None)
    assert state.pool.now == ENDED and state.pool.first_day == date(2026, 1, 10)
    assert [a.has_history for a in state.pool.accounts] == [True, True, False]
    assert state.faults == parse_faults(
        "5xx=0.02,429=0.01,retry_after=0,err_no=0.01,badjson=0.01,drift=1"
    )


def test_simulate_names_the_wrong_key_of_the_configs_table(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    config.write_text(config.read_text().replace('clock = "wall"', 'clock = "sundial"'))
    result = CliRunner().invoke(app, ["simulate", "--config", str(config)])
    assert result.exit_code == 2
    expected = "error: config error: [simulator] clock: must be one of fixed, wall, not 'sundial'"
    assert result.stderr.strip() == expected


def test_simulate_names_the_wrong_option(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    result = CliRunner().invoke(app, ["simulate", "--config", str(config), "--now", "2026-03-10"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --now needs a zone, e.g. 2026-11-22T12:00:00+00:00"
    result = CliRunner().invoke(app, ["simulate", "--accounts", "2", "--new-accounts", "3"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --new-accounts must be between 0 and 2 (accounts)"


def test_simulate_needs_a_simulator_table_in_the_config(tmp_path: Path) -> None:
    config = tmp_path / "poolbooks.toml"
    config.write_text('[[accounts]]\nname = "a"\npuid = 1\naccess_key_env = "KEY_A"\n')
    result = CliRunner().invoke(app, ["simulate", "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: config error: {config} has no [simulator] table"


def test_a_port_in_use_is_one_line_before_anything_is_said() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["simulate", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: --port {port}: cannot listen on 127.0.0.1:{port}: address already in use "
        "(is a simulator already running there? choose another --port)"
    ]
    assert result.stdout == ""  # no banner, no keys


@pytest.mark.parametrize(
    ("spec", "line"),
    [
        ("5xx=2", "error: --faults: 5xx needs a probability between 0 and 1, got 2"),
        ("429=often", "error: --faults: 429 needs a probability, got 'often'"),
        ("rate=fast", "error: --faults: rate needs requests per second, got 'fast'"),
    ],
)
def test_a_bad_fault_names_it_as_written(spec: str, line: str) -> None:
    result = CliRunner().invoke(app, ["simulate", "--faults", spec])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line]


def test_the_lines_to_copy_are_whole_at_80_columns(served: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["simulate", "--port", "9003"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    account = served["state"].pool.accounts[0]
    url = (
        "http://127.0.0.1:9003/v1/account/earn-stats"
        f"?puid={account.puid}&access_key={account.access_key}"
    )
    lines = result.stderr.splitlines()
    assert f"try: curl '{url}'" in lines
    assert 'esplora_url = "http://127.0.0.1:9003/esplora"' in lines


def test_a_missing_config_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["simulate", "--config", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: config error: --config: no such file: {tmp_path / 'nope.toml'}"
    ]
