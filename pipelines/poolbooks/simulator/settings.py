"""What a simulated pool is made of: typed settings, their defaults, and `[simulator]` parsed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from poolbooks.simulator.faults import Faults, FaultSpecError, parse_faults

SIM_DEFAULT_NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SIM_DEFAULT_SEED = 1
SIM_DEFAULT_ACCOUNTS = 3
SIM_DEFAULT_DAYS = 730
SIM_DEFAULT_HOST = "127.0.0.1"
SIM_DEFAULT_PORT = 8765
SIM_DEFAULT_TIMEZONE = "UTC"
CLOCK_MODES = ("fixed", "wall")


class SimulatorSettingsError(ValueError):
    """A setting that cannot be used, said in one line naming `[simulator] <key>`."""

    def __init__(self, key: str, problem: str) -> None:
        self.key, self.problem = key, problem
        super().__init__(f"{self.where}: {problem}")

    @property
    def where(self) -> str:
        return f"[simulator] {self.key}" if self.key else "[simulator]"


@dataclass(frozen=True)
class SimulatorSettings:
    """The pool `poolbooks simulate` serves: its seed, accounts, history, clock and faults."""

    seed: int = SIM_DEFAULT_SEED
    accounts: int = SIM_DEFAULT_ACCOUNTS
    new_accounts: int = 0  # the last N accounts: created today, no history yet
    days: int = SIM_DEFAULT_DAYS
    start: date | None = None  # first day of history; default: `days` before `now`
    now: datetime = SIM_DEFAULT_NOW
    clock: str = "fixed"  # or "wall": from `now` on, the clock follows the wall time
    timezone: str = SIM_DEFAULT_TIMEZONE  # the zone of the pool's days and payment times
    host: str = SIM_DEFAULT_HOST
    port: int = SIM_DEFAULT_PORT
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        for key in ("accounts", "days"):
            if getattr(self, key) < 1:
                raise SimulatorSettingsError(key, f"must be at least 1, got {getattr(self, key)}")
        if not 0 <= self.new_accounts <= self.accounts:
            problem = f"must be between 0 and {self.accounts} (accounts)"
            raise SimulatorSettingsError("new_accounts", problem)
        if self.clock not in CLOCK_MODES:
            problem = f"must be one of {', '.join(CLOCK_MODES)}, not {self.clock!r}"
            raise SimulatorSettingsError("clock", problem)
        if self.now.tzinfo is None:
            raise SimulatorSettingsError("now", "needs a zone, e.g. 2026-11-22T12:00:00+00:00")
        if not 0 <= self.port <= 65535:
            raise SimulatorSettingsError("port", f"must be between 0 and 65535, got {self.port}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SimulatorSettingsError("timezone", f"unknown zone {self.timezone!r}") from None


def parse_simulator_settings(table: object) -> SimulatorSettings:
    """Typed settings from a config's `[simulator]` table; a missing key takes its default."""
    if not isinstance(table, Mapping):
        raise SimulatorSettingsError("", "must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        reader = _READERS.get(key)
        if reader is None:
            raise SimulatorSettingsError(key, f"unknown key (known: {', '.join(_READERS)})")
        values[key] = reader(key, value)
    return SimulatorSettings(**values)


def parse_now(key: str, value: object) -> datetime:
    """A time with a zone, from TOML's datetime or ISO 8601 text."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise SimulatorSettingsError(key, f"not an ISO 8601 time: {value!r}") from None
    if not isinstance(value, datetime):
        raise SimulatorSettingsError(key, f"must be a time, got {value!r}")
    return value


def _whole_number(key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SimulatorSettingsError(key, f"must be a whole number, got {value!r}")
    return value


def _text(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise SimulatorSettingsError(key, f"must be text, got {value!r}")
    return value


def _day(key: str, value: object) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise SimulatorSettingsError(key, f"not a date (YYYY-MM-DD): {value!r}") from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise SimulatorSettingsError(key, f"must be a date, got {value!r}")
    return value


def _faults(key: str, value: object) -> Faults:
    try:
        return parse_faults(_text(key, value))
    except FaultSpecError as exc:
        raise SimulatorSettingsError(key, str(exc)) from None


_READERS: dict[str, Callable[[str, object], Any]] = {
    "seed": _whole_number,
    "accounts": _whole_number,
    "new_accounts": _whole_number,
    "days": _whole_number,
    "start": _day,
    "now": parse_now,
    "clock": _text,
    "timezone": _text,
    "host": _text,
    "port": _whole_number,
    "faults": _faults,
}
