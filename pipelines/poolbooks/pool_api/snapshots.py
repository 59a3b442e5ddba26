"""Parsers of the point-in-time answers: account info, earn stats, hashrate, worker, pool stats."""

from __future__ import annotations

from poolbooks.pool_api.envelope import Where, decode_envelope
from poolbooks.pool_api.fields import (
    ADDRESS,
    extra_fields,
    parse_object,
    parse_optional_text,
    parse_token,
)
from poolbooks.pool_api.number_fields import (
    parse_count,
    parse_hashrate_value,
    parse_integer,
    parse_number,
    parse_sat,
)
from poolbooks.pool_api.records import AccountInfo, EarnStats, Hashrate, PoolStats, WorkerStats
from poolbooks.pool_api.time_fields import parse_unix_time


def parse_account_info(raw: bytes, where: Where) -> AccountInfo:
    data = parse_object(decode_envelope(raw, where), "data", where)
    user_id = data.get("user_id")
    return AccountInfo(
        user_id=None if user_id is None else parse_integer(user_id, "user_id", where),
        user_name=parse_optional_text(data.get("user_name"), "user_name", where),
        address=parse_token(data.get("address"), "address", where, ADDRESS),
        region=parse_optional_text(data.get("region"), "region", where),
        extra=extra_fields(data, frozenset({"user_id", "user_name", "address", "region"})),
    )


def parse_earn_stats(raw: bytes, where: Where) -> EarnStats:
    data = parse_object(decode_envelope(raw, where), "data", where)
    known = frozenset(
        {
            "total_paid",
            "pending_payouts",
            "last_payment_time",
            "earnings_today",
            "earnings_yesterday",
            "unpaid",
        }
    )
    return EarnStats(
        total_paid_sat=parse_sat(data.get("total_paid"), "total_paid", where),
        pending_payouts_sat=parse_sat(data.get("pending_payouts", 0), "pending_payouts", where),
        last_payment_time=parse_unix_time(
            data.get("last_payment_time"), "last_payment_time", where
        ),
        earnings_today_sat=parse_sat(data.get("earnings_today"), "earnings_today", where),
        earnings_yesterday_sat=parse_sat(
            data.get("earnings_yesterday"), "earnings_yesterday", where
        ),
        unpaid_sat=parse_sat(data.get("unpaid"), "unpaid", where),
        extra=extra_fields(data, known),
    )


def parse_hashrate(raw: bytes, where: Where) -> Hashrate:
    data = parse_object(decode_envelope(raw, where), "data", where)
    known = frozenset({"shares_15m", "shares_15m_unit", "shares_1d", "shares_1d_unit"})
    return Hashrate(
        shares_15m_hs=parse_hashrate_value(data, "shares_15m", "shares_15m_unit", where),
        shares_1d_hs=parse_hashrate_value(data, "shares_1d", "shares_1d_unit", where),
        extra=extra_fields(data, known),
    )


def parse_worker_stats(raw: bytes, where: Where) -> WorkerStats:
    data = parse_object(decode_envelope(raw, where), "data", where)
    known = frozenset(
        {
            "workers_active",
            "workers_inactive",
            "workers_dead",
            "workers_total",
            "shares_1m",
            "shares_5m",
            "shares_15m",
            "shares_unit",
        }
    )
    return WorkerStats(
        workers_active=parse_count(data, "workers_active", where),
        workers_inactive=parse_count(data, "workers_inactive", where),
        workers_dead=parse_count(data, "workers_dead", where),
        workers_total=parse_count(data, "workers_total", where),
        shares_1m_hs=parse_hashrate_value(data, "shares_1m", "shares_unit", where),
        shares_5m_hs=parse_hashrate_value(data, "shares_5m", "shares_unit", where),
        shares_15m_hs=parse_hashrate_value(data, "shares_15m", "shares_unit", where),
        extra=extra_fields(data, known),
    )


def parse_pool_stats(raw: bytes, where: Where) -> PoolStats:
    data = parse_object(decode_envelope(raw, where), "data", where)
    shares = parse_object(data.get("shares"), "shares", where)
    reject = parse_object(data.get("reject", {}), "reject", where)
    return PoolStats(
        shares_1m_hs=parse_hashrate_value(shares, "shares_1m", "shares_unit", where, "shares."),
        shares_5m_hs=parse_hashrate_value(shares, "shares_5m", "shares_unit", where, "shares."),
        shares_15m_hs=parse_hashrate_value(shares, "shares_15m", "shares_unit", where, "shares."),
        reject_1m=parse_number(reject.get("1m", 0), "reject.1m", where),
        reject_5m=parse_number(reject.get("5m", 0), "reject.5m", where),
        reject_15m=parse_number(reject.get("15m", 0), "reject.15m", where),
        workers=parse_count(data, "workers", where),
        users=parse_count(data, "users", where),
        extra=extra_fields(data, frozenset({"shares", "reject", "workers", "users"})),
    )
