"""`[simulator]` settings: typed, with a default for every key, and errors naming the key."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from poolbooks.config import ConfigError, load_config
from poolbooks.demo import DEMO_FAULTS, write_demo_config
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool, pool_from_settings
from poolbooks.simulator.settings import (
    SimulatorSettings,
    SimulatorSettingsError,
    parse_simulator_settings,
)

EVERY_KEY = """
[simulator]
seed = 7
accounts = 4
new_accounts = 1
days = 90
start = 2026-01-02
now = 2026-04-01T10:30:00+02:00
clock = "wall"
timezone = "Asia/Shanghai"
host = "127.0.0.2"
port = 9001
faults = "5xx=0.1,drift=1"
"""


def test_an_empty_table_is_the_defaults_and_every_key_is_read() -> None:
    assert parse_simulator_settings({}) == SimulatorSettings()
    table = tomllib.loads(EVERY_KEY)["simulator"]
    assert set(table) == {f.name for f in fields(SimulatorSettings)}
    assert parse_simulator_settings(table) == SimulatorSettings(
        seed=7,
        accounts=4,
        new_accounts=1,
        days=90,
        start=date(2026, 1, 2),
        now=datetime(2026, 4, 1, 8, 30, tzinfo=UTC),
        clock="wall",
        timezone="Asia/Shanghai",
        host="127.0.0.2",
        port=9001,
        faults=parse_faults("5xx=0.1,drift=1"),
    )


def test_dates_and_times_may_be_written_as_text() -> None:
    table = {"start": "2026-01-02", "now": "2026-04-01T08:30:00+00:00"}
    settings = parse_simulator_settings(table)
    assert settings.start == date(2026, 1, 2)
    assert settings.now == datetime(2026, 4, 1, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("table", "line"),
    [
        ({"seed": "7"}, "[simulator] seed: must be a whole number, got '7'"),
        ({"port": True}, "[simulator] port: must be a whole number, got True"),
        ({"days": 0}, "[simulator] days: must be at least 1, got 0"),
        ({"new_accounts": 4}, "[simulator] new_accounts: must be between 0 and 3 (accounts)"),
        ({"clock": "sundial"}, "[simulator] clock: must be one of fixed, wall, not 'sundial'"),
        (
            {"now": "2026-04-01T08:30"},
            "[simulator] now: needs a zone, e.g. 2026-11-22T12:00:00+00:00",
        ),
        ({"now": "yesterday"}, "[simulator] now: not an ISO 8601 time: 'yesterday'"),
        ({"start": "2026-13-01"}, "[simulator] start: not a date (YYYY-MM-DD): '2026-13-01'"),
        ({"timezone": "Mars/Olympus"}, "[simulator] timezone: unknown zone 'Mars/Olympus'"),
        ({"port": 70000}, "[simulator] port: must be between 0 and 65535, got 70000"),
        (
            {"faults": "5xx=7"},
            "[simulator] faults: 5xx needs a probability between 0 and 1, got 7",
        ),
        ({"speed": 2}, "[simulator] speed: unknown key (known: seed, accounts, new_accounts, "),
        ([1, 2], "[simulator]: must be a table"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_its_key(table: object, line: str) -> None:
    with pytest.raises(SimulatorSettingsError) as info:
        parse_simulator_settings(table)
    assert str(info.value).startswith(line) and "\n" not in str(info.value)


def test_the_config_names_the_wrong_simulator_key(tmp_path: Path) -> None:
    config = tmp_path / "poolbooks.toml"
    account = '[[accounts]]\nname = "a"\npuid = 1\naccess_key_env = "KEY_A"\n'
    config.write_text(f'[simulator]\nclock = "sundial"\n\n{account}')
    with pytest.raises(ConfigError) as info:
        load_config(config, {}, require_keys=False)
    expected = "config error: [simulator] clock: must be one of fixed, wall, not 'sundial'"
    assert str(info.value) == expected


def test_the_demos_table_describes_the_demos_pool_again(tmp_path: Path) -> None:
    ended = datetime(2026, 3, 10, 23, 40, tzinfo=UTC)
    pool = SimulatedPool(n_accounts=3, new_accounts=1, days=60, now=ended, start=date(2026, 1, 10))
    path, environ = write_demo_config(tmp_path, pool, 8799)
    settings = load_config(path, environ).simulator
    assert settings is not None
    assert (settings.seed, settings.accounts, settings.new_accounts, settings.days) == (1, 3, 1, 60)
    assert (settings.start, settings.now, settings.clock) == (date(2026, 1, 10), ended, "wall")
    assert (settings.port, settings.faults) == (8799, parse_faults(DEMO_FAULTS))
    later = ended + timedelta(days=20)
    again = pool_from_settings(settings, wall_clock=lambda: later)
    assert again.now == later and again.first_day == pool.first_day
    for then, now in zip(pool.accounts, again.accounts, strict=True):
        assert then == now
        assert pool.history(then)[:-3] == again.history(now)[: len(pool.history(then)) - 3]
