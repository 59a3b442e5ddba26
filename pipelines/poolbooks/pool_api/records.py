"""Typed records parsed from the pool API: satoshi as int, hashrate in H/s, times in UTC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EarnHistoryRow:
    """One day of earn-history as the pool reported it at fetch time."""

    date: date
    earnings_sat: int
    paid_amount_sat: int
    payment_time: datetime | None
    payment_tx: str | None
    address: str | None
    difficulty: float | None
    payment_mode: str | None
    earnings_rate_pct: float | None
    diff_rate_pct: float | None
    extra: str | None

    @property
    def is_paid(self) -> bool:
        return self.payment_tx is not None or self.paid_amount_sat > 0

    @property
    def key(self) -> tuple[dt.date, str]:
        """The row's identity within an account: a day is several rows when it was paid in
        several payments, one per payment_tx."""
        return (self.date, self.payment_tx or "")


@dataclass(frozen=True, slots=True)
class EarnHistoryPage:
    """One earn-history page with its paging fields and the verbatim body."""

    page: int
    page_size: int
    page_count: int
    total_count: int
    rows: tuple[EarnHistoryRow, ...]
    raw: bytes
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class AccountInfo:
    user_id: int | None
    user_name: str | None
    address: str | None
    region: str | None
    extra: str | None


@dataclass(frozen=True, slots=True)
class EarnStats:
    total_paid_sat: int
    pending_payouts_sat: int
    last_payment_time: datetime | None
    earnings_today_sat: int
    earnings_yesterday_sat: int
    unpaid_sat: int
    extra: str | None


@dataclass(frozen=True, slots=True)
class Hashrate:
    shares_15m_hs: float
    shares_1d_hs: float
    extra: str | None


@dataclass(frozen=True, slots=True)
class WorkerStats:
    workers_active: int
    workers_inactive: int
    workers_dead: int
    workers_total: int
    shares_1m_hs: float
    shares_5m_hs: float
    shares_15m_hs: float
    extra: str | None


@dataclass(frozen=True, slots=True)
class PoolStats:
    shares_1m_hs: float
    shares_5m_hs: float
    shares_15m_hs: float
    reject_1m: float
    reject_5m: float
    reject_15m: float
    workers: int
    users: int
    extra: str | None


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """A parsed record with the verbatim body it came from and when it was fetched (UTC)."""

    record: T
    raw: bytes
    fetched_at: datetime


# What a point-in-time endpoint answers with.
SnapshotRecord = AccountInfo | EarnStats | Hashrate | WorkerStats | PoolStats
