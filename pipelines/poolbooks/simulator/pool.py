"""The simulated pool: its accounts at a movable clock, and every answer it gives, from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from poolbooks.simulator import hashrates, snapshots
from poolbooks.simulator.accounts import SimAccount, make_account
from poolbooks.simulator.clock import Moment, WallClock
from poolbooks.simulator.history import Histories, SimDay
from poolbooks.simulator.mining import day_hashrate_hs, full_day_earnings_sat
from poolbooks.simulator.payouts import SimPayout, collect_payouts, esplora_transaction
from poolbooks.simulator.rows import EarnHistoryRows
from poolbooks.simulator.settings import (
    SIM_DEFAULT_ACCOUNTS,
    SIM_DEFAULT_DAYS,
    SIM_DEFAULT_NOW,
    SIM_DEFAULT_SEED,
    SIM_DEFAULT_TIMEZONE,
    SimulatorSettings,
)


@dataclass
class SimulatedPool:
    """The pool's world at a movable clock; every answer follows from the seed and the clock."""

    seed: int = SIM_DEFAULT_SEED
    n_accounts: int = SIM_DEFAULT_ACCOUNTS
    days: int = SIM_DEFAULT_DAYS
    now: datetime = SIM_DEFAULT_NOW
    timezone: str = SIM_DEFAULT_TIMEZONE
    keys: dict[int, str] = field(default_factory=dict)
    overrides: dict[int, dict[str, Any]] = field(default_factory=dict)
    start: date | None = None  # first day of history; default: `days` before the first clock
    new_accounts: int = 0  # the last N accounts: sub-accounts created today, no history yet

    def __post_init__(self) -> None:
        if not 0 <= self.new_accounts <= self.n_accounts:
            raise ValueError(f"new_accounts must be between 0 and {self.n_accounts} (accounts)")
        self.zone = ZoneInfo(self.timezone)
        # the accounts started mining `days` days before the first clock; moving the clock
        # lengthens their history, it never rewrites it
        self._first_day = self.start or self.today - timedelta(days=self.days - 1)
        # their habits (threshold) follow from the `days`-th day, not the clock, so that a
        # pool built again later from `start` and `days` tells the same past
        with_history = self.n_accounts - self.new_accounts
        self._accounts = [
            make_account(self.seed, i, self.habits_day, i < with_history, self.keys, self.overrides)
            for i in range(self.n_accounts)
        ]
        self._by_puid = {a.puid: a for a in self._accounts}
        self._histories = Histories(self.seed, self._first_day)
        self._rows = EarnHistoryRows(self.seed)
        self._payouts: dict[str, SimPayout] | None = None
        self._clock = self._history_clock()

    # --- accounts and clock -------------------------------------------------------------------

    @property
    def accounts(self) -> list[SimAccount]:
        return list(self._accounts)

    def account(self, puid: int) -> SimAccount | None:
        return self._by_puid.get(puid)

    def set_now(self, now: datetime) -> None:
        """Move the clock. The histories (and the rows and payouts made of them) are computed
        again only when what they follow of the clock changed (`_history_clock`)."""
        if now.tzinfo is None:
            raise ValueError("the simulator clock needs a time zone")
        self.now = now.astimezone(UTC)
        clock = self._history_clock()
        if clock != self._clock:
            self._clock = clock
            self._histories.forget()
            self._rows.forget()
            self._payouts = None

    def _history_clock(self) -> tuple[date, tuple[date | None, ...]]:
        """What the histories follow of the clock: today, and for each account the last day
        whose payout time has come."""
        local_now = self.local_now.replace(tzinfo=None)
        last_days = tuple(
            self._histories.last_payout_day(a, self.today, local_now) for a in self._accounts
        )
        return self.today, last_days

    def advance(self, days: float = 0, seconds: float = 0) -> None:
        self.set_now(self.now + timedelta(days=days, seconds=seconds))

    @property
    def moment(self) -> Moment:
        return Moment(self.now, self.zone)

    @property
    def local_now(self) -> datetime:
        return self.moment.local_now

    @property
    def today(self) -> date:
        return self.moment.today

    @property
    def first_day(self) -> date:
        return self._first_day

    @property
    def habits_day(self) -> date:
        """The history's `days`-th day: what follows from it (the accounts' habits) stays the
        same however far the clock moves."""
        return self._first_day + timedelta(days=self.days - 1)

    # --- the history --------------------------------------------------------------------------

    def day_hashrate_hs(self, account: SimAccount, day: date) -> float:
        return day_hashrate_hs(self.seed, account, day)

    def full_day_earnings_sat(self, account: SimAccount, day: date) -> int:
        return full_day_earnings_sat(self.seed, account, day)

    def history(self, account: SimAccount) -> list[SimDay]:
        """Every day from the first to today, oldest first; today is provisional (0)."""
        return self._histories.days(account, self.today, self.local_now.replace(tzinfo=None))

    def payouts(self) -> dict[str, SimPayout]:
        """Every payout of every account, by txid: what the simulated chain holds."""
        if self._payouts is None:
            histories = ((a, self.history(a)) for a in self._accounts)
            self._payouts = collect_payouts(histories, self.zone)
        return self._payouts

    # --- API-shaped answers (the `data` of each endpoint) ---------------------------------------

    def earn_history_rows(self, account: SimAccount) -> list[dict[str, Any]]:
        """The rows as served, in the account's order; kept until the clock moves."""
        return self._rows.rows(account, self.history(account))

    def earn_stats(self, account: SimAccount) -> dict[str, Any]:
        return snapshots.earn_stats(self.seed, account, self.history(account), self.moment)

    def account_info(self, account: SimAccount) -> dict[str, Any]:
        return snapshots.account_info(account)

    def hashrate(self, account: SimAccount) -> dict[str, Any]:
        return hashrates.hashrate(self.seed, account, self.moment)

    def worker_stats(self, account: SimAccount) -> dict[str, Any]:
        return hashrates.worker_stats(self.seed, account, self.moment)

    def pool_stats(self, merge: bool) -> dict[str, Any]:
        return hashrates.pool_stats(self.seed, self.moment, merge)

    def transaction(self, txid: str) -> dict[str, Any] | None:
        """An Esplora `/tx/:txid` answer for a payout, or None when the chain has no such tx."""
        payout = self.payouts().get(txid)
        return None if payout is None else esplora_transaction(payout, self.seed, self.now)


def pool_from_settings(
    settings: SimulatorSettings, wall_clock: WallClock | None = None
) -> SimulatedPool:
    """The pool the settings describe; following a wall clock, it starts at the later of
    `now` and the wall time."""
    now = settings.now
    if wall_clock is not None:
        now = max(now.astimezone(UTC), wall_clock())
    return SimulatedPool(
        seed=settings.seed,
        n_accounts=settings.accounts,
        new_accounts=settings.new_accounts,
        days=settings.days,
        now=now,
        timezone=settings.timezone,
        start=settings.start,
    )
