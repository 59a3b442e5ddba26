"""A deterministic simulated pool: accounts, daily earnings, threshold payouts, live stats."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.pool_api.simulated_chain import (
    SAT_PER_COIN,
    block_height,
    difficulty,
    network_hashrate_hs,
    subsidy_sat,
    unit_hash,
)

SIM_DEFAULT_NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SIM_DEFAULT_SEED = 1
SIM_DEFAULT_ACCOUNTS = 3
SIM_DEFAULT_DAYS = 730
SIM_FIRST_PUID = 880001
PPS_FEE = 0.04
FPPS_FEE = 0.04
# Share of paid days paid in two payments (part now, the rest with the next payout), as real
# accounts show (btccom/btcpool-export a7b037d). The 50th day of every history is one too, so
# that in oldest-first order its two rows straddle the boundary of pages 1 and 2.
SPLIT_SHARE = 0.03
SPLIT_DAY_INDEX = 49
UNPAID_REASON = "amount below the payment threshold"
WORKER_HASHRATE_HS = 1.1e14
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def sim_access_key(seed: int, puid: int) -> str:
    """The key the simulator accepts for a puid unless a test gives its own."""
    return "sim-" + hashlib.sha256(f"{seed}:{puid}".encode()).hexdigest()[:24]


def _address(coin: str, *parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode()).digest()
    number = int.from_bytes(digest, "big")
    if coin == "BCH":
        chars = [BECH32[(number >> (5 * i)) & 31] for i in range(41)]
        return "bitcoincash:q" + "".join(chars)
    chars = []
    for _ in range(33):
        number, rest = divmod(number, 58)
        chars.append(BASE58[rest])
    return "3" + "".join(chars)


def _txid(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class SimAccount:
    """One simulated sub-account and the habits of the pool towards it."""

    index: int
    puid: int
    name: str
    access_key: str
    coin: str
    payment_mode: str
    order: str
    address: str
    base_hashrate_hs: float
    threshold_sat: int
    payout_seconds: int
    string_numbers: bool
    padded_address: bool
    payout_style: str = "per_day"
    has_history: bool = True  # False: a sub-account created today, with no history yet
    split_payments: bool = True  # some days paid in two payments (see SPLIT_SHARE)


@dataclass(frozen=True)
class SimPayment:
    """One payment of (part of) a day's earnings."""

    amount_sat: int
    txid: str
    time: datetime  # naive, in the pool's zone
    address: str


@dataclass(frozen=True)
class SimDay:
    """One day of earn-history as the pool holds it at the current clock: one row, or one per
    payment when the day was paid in several (plus an unpaid row while part is still owed)."""

    date: date
    earnings_sat: int
    difficulty: float
    hashrate_hs: float
    provisional: bool
    payments: tuple[SimPayment, ...] = ()
    owed_sat: int = 0  # what is still unpaid of a settled day

    @property
    def paid_amount_sat(self) -> int:
        return sum(p.amount_sat for p in self.payments)

    @property
    def last_payment(self) -> SimPayment | None:
        """The payment daily_earnings shows for the day: the latest, then the greatest txid."""
        return max(self.payments, key=lambda p: (p.time, p.txid), default=None)

    @property
    def payment_tx(self) -> str | None:
        last = self.last_payment
        return last.txid if last else None

    @property
    def payment_time(self) -> datetime | None:
        last = self.last_payment
        return last.time if last else None

    @property
    def address(self) -> str | None:
        last = self.last_payment
        return last.address if last else None


@dataclass(frozen=True)
class SimPayout:
    account: SimAccount
    txid: str
    amount_sat: int
    time_utc: datetime
    address: str


@dataclass
class SimulatedPool:
    """The pool's world at a movable clock; every answer follows from the seed and the clock."""

    seed: int = SIM_DEFAULT_SEED
    n_accounts: int = SIM_DEFAULT_ACCOUNTS
    days: int = SIM_DEFAULT_DAYS
    now: datetime = SIM_DEFAULT_NOW
    timezone: str = "UTC"
    keys: dict[int, str] = field(default_factory=dict)
    overrides: dict[int, dict[str, Any]] = field(default_factory=dict)
    start: date | None = None  # first day of history; default: `days` before the first clock
    new_accounts: int = 0  # the last N accounts: sub-accounts created today, no history yet
    _accounts: list[SimAccount] = field(init=False, repr=False)
    _history: dict[int, list[SimDay]] = field(init=False, repr=False, default_factory=dict)
    _rows: dict[int, list[dict[str, Any]]] = field(init=False, repr=False, default_factory=dict)
    _payouts: dict[str, SimPayout] | None = field(init=False, repr=False, default=None)
    # what never changes with the clock, kept across clock moves: each settled day before
    # payment, with when its payout would come and whether it is split; each day's rows
    _settled: dict[tuple[int, date], tuple[SimDay, datetime, bool]] = field(
        init=False, repr=False, default_factory=dict
    )
    _day_rows: dict[tuple[int, SimDay, SimDay | None], list[dict[str, Any]]] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        if not 0 <= self.new_accounts <= self.n_accounts:
            raise ValueError(f"new_accounts must be between 0 and {self.n_accounts} (accounts)")
        self.zone = ZoneInfo(self.timezone)
        # the accounts started mining `days` days before the first clock; moving the clock
        # lengthens their history, it never rewrites it
        self._first_day = self.start or self.today - timedelta(days=self.days - 1)
        # their habits (threshold) follow from the `days`-th day, not the clock, so that a
        # pool built again later from `start` and `days` tells the same past
        self._habits_day = self._first_day + timedelta(days=self.days - 1)
        self._accounts = [self._make_account(i) for i in range(self.n_accounts)]
        self._by_puid = {a.puid: a for a in self._accounts}
        self._clock = self._history_clock()

    # --- accounts and clock -------------------------------------------------------------------

    @property
    def accounts(self) -> list[SimAccount]:
        return list(self._accounts)

    def account(self, puid: int) -> SimAccount | None:
        return self._by_puid.get(puid)

    def _make_account(self, index: int) -> SimAccount:
        puid = SIM_FIRST_PUID + index

        def u(*key: object) -> float:
            return unit_hash(self.seed, "account", puid, *key)

        coin = "BCH" if index % 3 == 2 else "BTC"
        hashrate = 10 ** (14.7 + 2.0 * u("hashrate")) * (0.1 if coin == "BCH" else 1.0)
        daily = hashrate * 86400 * subsidy_sat(coin, self._habits_day)
        daily /= difficulty(coin, self._habits_day, self.seed) * 2**32
        threshold = max(100_000, round(daily * (2, 3, 5)[int(u("threshold") * 3)], -5))
        account = SimAccount(
            index=index,
            puid=puid,
            name=f"sim{index + 1:03d}",
            access_key=self.keys.get(puid, sim_access_key(self.seed, puid)),
            coin=coin,
            payment_mode="PPS" if index % 2 == 0 else "FPPS",
            order="oldest_first" if index % 4 == 3 else "newest_first",
            address=_address(coin, self.seed, puid, "payout"),
            base_hashrate_hs=hashrate,
            threshold_sat=int(threshold),
            payout_seconds=3600 + int(u("payout") * 3 * 3600),
            string_numbers=index % 5 == 4,
            padded_address=index % 2 == 0,
            has_history=index < self.n_accounts - self.new_accounts,
        )
        return replace(account, **self.overrides.get(puid, {}))

    def set_now(self, now: datetime) -> None:
        """Move the clock. The histories (and the rows and payouts made of them) are computed
        again only when what they follow of the clock changed (`_history_clock`)."""
        if now.tzinfo is None:
            raise ValueError("the simulator clock needs a time zone")
        self.now = now.astimezone(UTC)
        clock = self._history_clock()
        if clock != self._clock:
            self._clock = clock
            self._history.clear()
            self._rows.clear()
            self._payouts = None

    def _history_clock(self) -> tuple[date, tuple[date | None, ...]]:
        """What the histories follow of the clock: today, and for each account the last day
        whose payout time has come. Payout times grow with the day (a day's comes early the
        next day), so every day before that one has had its time too."""
        local_now = self.local_now.replace(tzinfo=None)
        last_days: list[date | None] = []
        for account in self._accounts:
            day: date | None = self.today - timedelta(days=1)
            while day is not None and day >= self.first_day and account.has_history:
                if self._settled_day(account, day)[1] <= local_now:
                    break
                day -= timedelta(days=1)
            else:
                day = None
            last_days.append(day)
        return self.today, tuple(last_days)

    def advance(self, days: float = 0, seconds: float = 0) -> None:
        self.set_now(self.now + timedelta(days=days, seconds=seconds))

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    @property
    def first_day(self) -> date:
        return self._first_day

    # --- the history --------------------------------------------------------------------------

    def day_hashrate_hs(self, account: SimAccount, day: date) -> float:
        """Mean hashrate of a day: slow growth, daily noise, and now and then a dead day."""
        if unit_hash(self.seed, "down", account.puid, day) < 0.01:
            return 0.0
        years = (day - date(2020, 1, 1)).days / 365.25
        noise = 1 + (unit_hash(self.seed, "noise", account.puid, day) - 0.5) * 0.08
        growth: float = 1.15**years
        return account.base_hashrate_hs * growth * noise

    def full_day_earnings_sat(self, account: SimAccount, day: date) -> int:
        """PPS (or FPPS, with a share of fees) for a whole day, after the pool's fee."""
        hashrate = self.day_hashrate_hs(account, day)
        expected = (
            hashrate
            * 86400
            * subsidy_sat(account.coin, day)
            / (difficulty(account.coin, day, self.seed) * 2**32)
        )
        if account.payment_mode == "FPPS":
            tx_fees = 0.03 + 0.07 * unit_hash(self.seed, "fees", account.coin, day)
            return math.floor(expected * (1 + tx_fees) * (1 - FPPS_FEE))
        return math.floor(expected * (1 - PPS_FEE))

    def history(self, account: SimAccount) -> list[SimDay]:
        """Every day from the first to today, oldest first; today is provisional (0). A
        sub-account with no history yet has none."""
        cached = self._history.get(account.puid)
        if cached is not None:
            return cached
        days: list[SimDay] = []
        if not account.has_history:
            self._history[account.puid] = days
            return days
        day = self.first_day
        while day < self.today:
            days.append(self._settled_day(account, day)[0])
            day += timedelta(days=1)
        if day == self.today:
            days.append(
                SimDay(
                    date=day,
                    earnings_sat=0,
                    difficulty=difficulty(account.coin, day, self.seed),
                    hashrate_hs=self.day_hashrate_hs(account, day),
                    provisional=True,
                )
            )
        days = self._pay(account, days)
        self._history[account.puid] = days
        return days

    def _settled_day(self, account: SimAccount, day: date) -> tuple[SimDay, datetime, bool]:
        """A settled day before any payment, when the payout after it would be made (naive,
        pool zone), and whether it is paid in two payments: the same at every clock."""
        key = (account.puid, day)
        known = self._settled.get(key)
        if known is None:
            earnings = self.full_day_earnings_sat(account, day)
            settled = SimDay(
                date=day,
                earnings_sat=earnings,
                difficulty=difficulty(account.coin, day, self.seed),
                hashrate_hs=self.day_hashrate_hs(account, day),
                provisional=False,
                owed_sat=earnings,
            )
            jitter = int(unit_hash(self.seed, "paid-at", account.puid, day) * 1800)
            when = datetime.combine(day + timedelta(days=1), time()) + timedelta(
                seconds=account.payout_seconds + jitter
            )
            known = self._settled[key] = (settled, when, self._split(account, day))
        return known

    def _pay(self, account: SimAccount, days: list[SimDay]) -> list[SimDay]:
        """Pay the settled unpaid days once their sum reaches the threshold, the next day. A
        split day is paid in part by one payout and the rest by the next."""
        local_now = self.local_now.replace(tzinfo=None)
        owed = {day.date: day.owed_sat for day in days}
        payments: dict[date, list[SimPayment]] = {}
        pending: list[date] = []  # days with something owed, oldest first
        balance = 0  # what they owe
        count = 0
        for day in days:
            if day.provisional:
                break
            pending.append(day.date)
            balance += day.owed_sat
            _, when, _ = self._settled_day(account, day.date)
            if balance < account.threshold_sat or when > local_now:
                continue
            count += 1
            txid = _txid(self.seed, account.puid, "payout", count, day.date)
            still_owed: list[date] = []
            for i, covered in enumerate(pending):
                amount, rest = owed[covered], 0
                if account.payout_style == "lump":
                    amount = balance if i == len(pending) - 1 else 0
                elif covered not in payments and self._settled_day(account, covered)[2]:
                    amount, rest = amount // 2, amount - amount // 2  # the rest: the next payout
                    still_owed.append(covered)
                payments.setdefault(covered, []).append(
                    SimPayment(amount, txid, when, account.address)
                )
                owed[covered] = rest
            pending = still_owed
            balance = sum(owed[d] for d in pending)
        return [
            SimDay(
                day.date,
                day.earnings_sat,
                day.difficulty,
                day.hashrate_hs,
                day.provisional,
                tuple(payments[day.date]),
                owed[day.date],
            )
            if day.date in payments
            else day
            for day in days
        ]

    def _split(self, account: SimAccount, day: date) -> bool:
        """Whether a day is paid in two payments."""
        position = (day - self.first_day).days
        if not account.split_payments or position < SPLIT_DAY_INDEX:
            return False  # none before it, so that its rows keep their place on the pages
        if position == SPLIT_DAY_INDEX:
            return True
        return unit_hash(self.seed, "split", account.puid, day) < SPLIT_SHARE

    def payouts(self) -> dict[str, SimPayout]:
        """Every payout of every account, by txid: what the simulated chain holds."""
        if self._payouts is None:
            found: dict[str, SimPayout] = {}
            for account in self._accounts:
                for day in self.history(account):
                    for payment in day.payments:
                        amount = payment.amount_sat
                        if payment.txid in found:
                            amount += found[payment.txid].amount_sat
                        found[payment.txid] = SimPayout(
                            account=account,
                            txid=payment.txid,
                            amount_sat=amount,
                            time_utc=payment.time.replace(tzinfo=self.zone).astimezone(UTC),
                            address=payment.address,
                        )
            self._payouts = found
        return self._payouts

    # --- API-shaped answers (the `data` of each endpoint) ---------------------------------------

    def _number(self, account: SimAccount, value: int, *key: object) -> int | str:
        """A number as the pool writes it: some accounts always as text; the others now as an
        integer, now as a string, as captured answers mix them (btccom/btcpool-export 3d36bba
        had to parse earnings and paid_amount that arrived as strings)."""
        if account.string_numbers or unit_hash(self.seed, "text", account.puid, *key) < 0.3:
            return str(value)
        return value

    def earn_history_rows(self, account: SimAccount) -> list[dict[str, Any]]:
        """The rows as served, in the account's order; cached until the clock moves."""
        cached = self._rows.get(account.puid)
        if cached is None:
            cached = self._rows[account.puid] = self._render_rows(account)
        return list(cached)

    def _render_rows(self, account: SimAccount) -> list[dict[str, Any]]:
        days: list[list[dict[str, Any]]] = []
        previous: SimDay | None = None
        for day in self.history(account):
            days.append(self._rows_of_day(account, day, previous))
            previous = day
        if account.order == "newest_first":
            days.reverse()  # newest day first; a day's own rows stay in payment order
        return [row for rows in days for row in rows]

    def _rows_of_day(
        self, account: SimAccount, day: SimDay, previous: SimDay | None
    ) -> list[dict[str, Any]]:
        """A day's rows, kept while the day and the one before it stay as they are."""
        key = (account.puid, day, previous)
        rows = self._day_rows.get(key)
        if rows is None:
            common = self._common_fields(account, day, previous)
            rows = [self._payment_row(account, day, common, p) for p in day.payments]
            if day.provisional or day.owed_sat > 0 or not rows:
                rows.append(self._unpaid_row(account, day, common))
            self._day_rows[key] = rows
        return rows

    def _common_fields(
        self, account: SimAccount, day: SimDay, previous: SimDay | None
    ) -> dict[str, Any]:
        """The fields every row of a day repeats: the date, the day's earnings, difficulty."""
        stamp = day.date.strftime("%Y%m%d")
        date_text = unit_hash(self.seed, "date-text", account.puid, day.date) < 0.1
        row: dict[str, Any] = {
            "date": stamp if date_text else int(stamp),
            "earnings": self._number(account, day.earnings_sat, day.date, "earnings"),
            "diff": int(day.difficulty),
            "payment_mode": account.payment_mode,
        }
        if day.provisional:
            row["earnings_rate"] = 0
        elif previous is not None and previous.earnings_sat > 0:
            change = (day.earnings_sat - previous.earnings_sat) / previous.earnings_sat
            if unit_hash(self.seed, "no-rate", account.puid, day.date) > 0.05:
                row["earnings_rate"] = round(change * 100, 3)
        if previous is not None and previous.difficulty > 0:
            row["diff_rate"] = round((day.difficulty / previous.difficulty - 1) * 100, 3)
        if account.payment_mode == "FPPS" and not day.provisional:
            share = unit_hash(self.seed, "pps96", account.puid, day.date) * 0.04
            row["more_than_pps96_rate"] = f"{share:.4f}"
        return row

    def _payment_row(
        self, account: SimAccount, day: SimDay, common: dict[str, Any], payment: SimPayment
    ) -> dict[str, Any]:
        pad = " " if account.padded_address else ""
        return {
            **common,
            "payment_time": payment.time.strftime("%Y-%m-%d %H:%M:%S"),
            "payment_tx": payment.txid,
            "address": payment.address + pad,
            "paid_amount": self._number(account, payment.amount_sat, day.date, payment.txid),
        }

    def _unpaid_row(
        self, account: SimAccount, day: SimDay, common: dict[str, Any]
    ) -> dict[str, Any]:
        row: dict[str, Any] = {
            **common,
            "payment_time": "0",
            "payment_tx": "",
            "address": " " if account.padded_address else "",
            "paid_amount": self._number(account, 0, day.date, "unpaid"),
        }
        if not day.provisional and day.earnings_sat > 0:
            row["stats"] = "PENDING_NOT_ENOUGH"
            if day.payments:  # paid in part: the rest waits
                row["unpaid_reason"] = UNPAID_REASON
        return row

    def earnings_today_sat(self, account: SimAccount) -> int:
        """Today's estimate: the share of the day gone by times a whole day's earnings."""
        if not account.has_history:
            return 0
        local = self.local_now
        elapsed = (local - local.replace(hour=0, minute=0, second=0, microsecond=0)).seconds
        return math.floor(self.full_day_earnings_sat(account, self.today) * elapsed / 86400)

    def earn_stats(self, account: SimAccount) -> dict[str, Any]:
        """earn-stats in the shape of an answer captured in 2020: money as strings,
        `last_payment_time` an integer, and the fields the API text does not list."""
        history = self.history(account)
        settled_unpaid = sum(d.owed_sat for d in history)
        total_paid = sum(d.paid_amount_sat for d in history)
        times = [p.time for d in history for p in d.payments]
        last = int(max(times).replace(tzinfo=self.zone).astimezone(UTC).timestamp()) if times else 0
        yesterday = history[-2].earnings_sat if len(history) >= 2 else 0
        today = self.earnings_today_sat(account)
        rate_1d, unit_1d = _with_unit(self.day_hashrate_hs(account, self.today), places=4)
        rate_yd, unit_yd = _with_unit(
            self.day_hashrate_hs(account, self.today - timedelta(days=1)), places=4
        )
        per_100t = self._per_100t(account)
        return {
            "total_paid": str(total_paid),
            "pending_payouts": "0",
            "earnings_yesterday": str(yesterday),
            "last_payment_time": last,
            "earnings_today": str(today),
            "unpaid": str(settled_unpaid + today),
            "relative_pps_rate": 100,
            "amount_100t": str(per_100t),
            "amount_standard_earn": str(per_100t),
            "amount_standard_unit": "100T",
            "hashrate_yesterday": {"size": rate_yd, "unit": unit_yd},
            "shares_1d": {"size": rate_1d, "unit": unit_1d},
        }

    def _per_100t(self, account: SimAccount) -> int:
        """What 100 TH/s earned yesterday under the account's mode, in satoshi."""
        day = self.today - timedelta(days=1)
        hashrate = self.day_hashrate_hs(account, day)
        if not hashrate:
            return 0
        return math.floor(self.full_day_earnings_sat(account, day) * 1e14 / hashrate)

    def account_info(self, account: SimAccount) -> dict[str, Any]:
        return {
            "user_id": account.puid,
            "user_name": account.name,
            "address": account.address + (" " if account.padded_address else ""),
            "nmc_address": "",
            "rebates_address": "",
            "region": "America",
            "contact": {"mail": "", "phone": {"country": "86", "number": "133****3333"}},
            "alert": {
                "hashrate_max": "0",
                "hashrate_value": "0",
                "hashrate_unit": "T",
                "hashrate_alert": 0,
                "miner_max": "0",
                "miner_value": "0",
                "miner_alert": 0,
                "alert_interval": 6,
            },
        }

    def live_hashrate_hs(self, account: SimAccount, window: str) -> float:
        """Hashrate over a recent window, noisy per 10-minute slot of the clock."""
        slot = int(self.now.timestamp()) // 600
        noise = 1 + (unit_hash(self.seed, "live", account.puid, slot, window) - 0.5) * 0.06
        return self.day_hashrate_hs(account, self.today) * noise

    def hashrate(self, account: SimAccount) -> dict[str, Any]:
        rate_15m = self.live_hashrate_hs(account, "15m") if account.has_history else 0.0
        rate_1d = self.day_hashrate_hs(account, self.today) if account.has_history else 0.0
        value_15m, unit_15m = _with_unit(rate_15m)
        value_1d, unit_1d = _with_unit(rate_1d)
        return {
            "shares_15m": value_15m,
            "shares_15m_unit": unit_15m,
            "shares_15m_pure": f"{rate_15m:.0f}",  # the raw H/s twin some answers carry
            "shares_1d": value_1d,
            "shares_1d_unit": unit_1d,
            "shares_1d_pure": f"{rate_1d:.0f}",
        }

    def worker_stats(self, account: SimAccount) -> dict[str, Any]:
        if not account.has_history:
            rates = dict.fromkeys(("1m", "5m", "15m"), 0.0)
            total = 0
        else:
            rates = {w: self.live_hashrate_hs(account, w) for w in ("1m", "5m", "15m")}
            total = max(1, round(self.day_hashrate_hs(account, self.today) / WORKER_HASHRATE_HS))
        slot = int(self.now.timestamp()) // 600
        inactive = int(total * 0.03 * unit_hash(self.seed, "inactive", account.puid, slot))
        dead = int(total * 0.01 * unit_hash(self.seed, "dead", account.puid, slot))
        unit = _with_unit(rates["15m"])[1]
        scale = _UNITS[unit]
        return {
            "workers_active": total - inactive - dead,
            "workers_inactive": inactive,
            "workers_dead": dead,
            "shares_1m": f"{rates['1m'] / scale:.2f}",
            "shares_5m": f"{rates['5m'] / scale:.2f}",
            "shares_15m": f"{rates['15m'] / scale:.2f}",
            "shares_15m_pure": f"{rates['15m']:.0f}",
            "workers_total": total,
            "shares_unit": unit,
        }

    def pool_stats(self, merge: bool) -> dict[str, Any]:
        share = 0.06 if merge else 0.035
        slot = int(self.now.timestamp()) // 600
        base = network_hashrate_hs("BTC", self.today, self.seed) * share
        noise = [1 + (unit_hash(self.seed, "pool", merge, slot, w) - 0.5) * 0.04 for w in range(3)]
        unit = "P"
        scale = _UNITS[unit]
        return {
            "shares": {
                "shares_1m": round(base * noise[0] / scale, 1),
                "shares_5m": round(base * noise[1] / scale, 1),
                "shares_15m": round(base * noise[2] / scale, 1),
                "shares_unit": unit,
            },
            "reject": {"1m": 0, "5m": 0, "15m": round(0.001 * noise[0], 4)},
            "workers": int(150_000 * share * 10 * noise[1]),
            "users": int(20_000 * share * 10 * noise[2]),
        }

    def transaction(self, txid: str) -> dict[str, Any] | None:
        """An Esplora `/tx/:txid` answer for a payout, or None when the chain has no such tx."""
        payout = self.payouts().get(txid)
        if payout is None:
            return None
        block_time = payout.time_utc + timedelta(minutes=7)
        change = _address(payout.account.coin, self.seed, txid, "change")
        vout = [
            {"scriptpubkey_address": payout.address, "value": payout.amount_sat},
            {"scriptpubkey_address": change, "value": 3 * SAT_PER_COIN + payout.amount_sat % 997},
        ]
        status: dict[str, Any] = {"confirmed": False}
        if block_time <= self.now:
            status = {
                "confirmed": True,
                "block_height": block_height(block_time),
                "block_time": int(block_time.timestamp()),
            }
        return {
            "txid": txid,
            "version": 2,
            "locktime": 0,
            "vin": [],
            "vout": vout,
            "status": status,
        }


_UNITS = {"T": 1e12, "P": 1e15, "E": 1e18}


def _with_unit(hashrate_hs: float, places: int = 2) -> tuple[str, str]:
    """A hashrate as the pool writes it: a decimal string and its unit letter."""
    unit = "T" if hashrate_hs < 1e15 else "P" if hashrate_hs < 1e18 else "E"
    return f"{hashrate_hs / _UNITS[unit]:.{places}f}", unit
