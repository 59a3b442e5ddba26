"""Hashrate answers: an account's live hashrate and workers, the pool's totals, and hashrates
written as the pool writes them."""

from __future__ import annotations

from typing import Any

from poolbooks.simulator.accounts import SimAccount
from poolbooks.simulator.chain import network_hashrate_hs
from poolbooks.simulator.clock import Moment
from poolbooks.simulator.draws import unit_hash
from poolbooks.simulator.mining import day_hashrate_hs

WORKER_HASHRATE_HS = 1.1e14
UNITS = {"T": 1e12, "P": 1e15, "E": 1e18}


def with_unit(hashrate_hs: float, places: int = 2) -> tuple[str, str]:
    """A hashrate as the pool writes it: a decimal string and its unit letter."""
    unit = "T" if hashrate_hs < 1e15 else "P" if hashrate_hs < 1e18 else "E"
    return f"{hashrate_hs / UNITS[unit]:.{places}f}", unit


def live_hashrate_hs(seed: int, account: SimAccount, at: Moment, window: str) -> float:
    """Hashrate over a recent window, noisy per 10-minute slot of the clock."""
    noise = 1 + (unit_hash(seed, "live", account.puid, at.live_slot, window) - 0.5) * 0.06
    return day_hashrate_hs(seed, account, at.today) * noise


def hashrate(seed: int, account: SimAccount, at: Moment) -> dict[str, Any]:
    mining = account.has_history
    rate_15m = live_hashrate_hs(seed, account, at, "15m") if mining else 0.0
    rate_1d = day_hashrate_hs(seed, account, at.today) if mining else 0.0
    value_15m, unit_15m = with_unit(rate_15m)
    value_1d, unit_1d = with_unit(rate_1d)
    return {
        "shares_15m": value_15m,
        "shares_15m_unit": unit_15m,
        "shares_15m_pure": f"{rate_15m:.0f}",  # the raw H/s twin some answers carry
        "shares_1d": value_1d,
        "shares_1d_unit": unit_1d,
        "shares_1d_pure": f"{rate_1d:.0f}",
    }


def worker_stats(seed: int, account: SimAccount, at: Moment) -> dict[str, Any]:
    if not account.has_history:
        rates = dict.fromkeys(("1m", "5m", "15m"), 0.0)
        total = 0
    else:
        rates = {w: live_hashrate_hs(seed, account, at, w) for w in ("1m", "5m", "15m")}
        total = max(1, round(day_hashrate_hs(seed, account, at.today) / WORKER_HASHRATE_HS))
    inactive = int(total * 0.03 * unit_hash(seed, "inactive", account.puid, at.live_slot))
    dead = int(total * 0.01 * unit_hash(seed, "dead", account.puid, at.live_slot))
    unit = with_unit(rates["15m"])[1]
    scale = UNITS[unit]
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


def pool_stats(seed: int, at: Moment, merge: bool) -> dict[str, Any]:
    """The whole pool's hashrate, workers and users: a share of the network's."""
    share = 0.06 if merge else 0.035
    slot = at.live_slot
    base = network_hashrate_hs("BTC", at.today, seed) * share
    noise = [1 + (unit_hash(seed, "pool", merge, slot, w) - 0.5) * 0.04 for w in range(3)]
    unit = "P"
    scale = UNITS[unit]
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
