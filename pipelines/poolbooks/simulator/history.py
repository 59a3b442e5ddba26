"""An account's days as the pool holds them at its clock: earnings, payments, what is owed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from poolbooks.simulator.accounts import SimAccount, txid
from poolbooks.simulator.chain import difficulty
from poolbooks.simulator.draws import unit_hash
from poolbooks.simulator.mining import day_hashrate_hs, full_day_earnings_sat

# Share of paid days paid in two payments (part now, the rest with the next payout), as real
# accounts show (btccom/btcpool-export a7b037d). The 50th day of every history is one too, so
# that in oldest-first order its two rows straddle the boundary of pages 1 and 2.
SPLIT_SHARE = 0.03
SPLIT_DAY_INDEX = 49
PAYOUT_JITTER_SECONDS = 1800


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
class Settled:
    """A settled day before any payment, when the payout after it would be made (naive, pool
    zone), and whether it is paid in two payments: the same at every clock."""

    day: SimDay
    paid_at: datetime
    split: bool


class Histories:
    """Every account's days at the pool's clock (`today`, and `local_now`: naive, pool zone).
    Settled days are kept for good; the histories until `forget`, when the clock moved on."""

    def __init__(self, seed: int, first_day: date) -> None:
        self.seed = seed
        self.first_day = first_day
        self._settled: dict[tuple[int, date], Settled] = {}
        self._days: dict[int, list[SimDay]] = {}

    def forget(self) -> None:
        self._days.clear()

    def days(self, account: SimAccount, today: date, local_now: datetime) -> list[SimDay]:
        """Every day from the first to today, oldest first; today is provisional (0). A
        sub-account with no history yet has none."""
        cached = self._days.get(account.puid)
        if cached is not None:
            return cached
        days: list[SimDay] = []
        if account.has_history:
            day = self.first_day
            while day < today:
                days.append(self.settled(account, day).day)
                day += timedelta(days=1)
            if day == today:
                days.append(self._provisional(account, day))
            days = self._pay(account, days, local_now)
        self._days[account.puid] = days
        return days

    def last_payout_day(self, account: SimAccount, today: date, local_now: datetime) -> date | None:
        """The last day whose payout time has come. Payout times grow with the day (a day's
        comes early the next day), so every day before it has had its time too."""
        if not account.has_history:
            return None
        day = today - timedelta(days=1)
        while day >= self.first_day:
            if self.settled(account, day).paid_at <= local_now:
                return day
            day -= timedelta(days=1)
        return None

    def settled(self, account: SimAccount, day: date) -> Settled:
        key = (account.puid, day)
        known = self._settled.get(key)
        if known is None:
            earnings = full_day_earnings_sat(self.seed, account, day)
            settled = SimDay(
                date=day,
                earnings_sat=earnings,
                difficulty=difficulty(account.coin, day, self.seed),
                hashrate_hs=day_hashrate_hs(self.seed, account, day),
                provisional=False,
                owed_sat=earnings,
            )
            jitter = int(unit_hash(self.seed, "paid-at", account.puid, day) * PAYOUT_JITTER_SECONDS)
            when = datetime.combine(day + timedelta(days=1), time()) + timedelta(
                seconds=account.payout_seconds + jitter
            )
            known = self._settled[key] = Settled(settled, when, self._split(account, day))
        return known

    def _provisional(self, account: SimAccount, day: date) -> SimDay:
        return SimDay(
            date=day,
            earnings_sat=0,
            difficulty=difficulty(account.coin, day, self.seed),
            hashrate_hs=day_hashrate_hs(self.seed, account, day),
            provisional=True,
        )

    def _pay(self, account: SimAccount, days: list[SimDay], local_now: datetime) -> list[SimDay]:
        """Pay the settled unpaid days once their sum reaches the threshold, the next day. A
        split day is paid in part by one payout and the rest by the next."""
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
            when = self.settled(account, day.date).paid_at
            if balance < account.threshold_sat or when > local_now:
                continue
            count += 1
            paid_by = txid(self.seed, account.puid, "payout", count, day.date)
            still_owed: list[date] = []
            for i, covered in enumerate(pending):
                amount, rest = owed[covered], 0
                if account.payout_style == "lump":
                    amount = balance if i == len(pending) - 1 else 0
                elif covered not in payments and self.settled(account, covered).split:
                    amount, rest = amount // 2, amount - amount // 2  # the rest: the next payout
                    still_owed.append(covered)
                payments.setdefault(covered, []).append(
                    SimPayment(amount, paid_by, when, account.address)
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
