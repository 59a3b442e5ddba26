"""The account's point-in-time answers besides hashrate: earn-stats and account info."""

from __future__ import annotations

import math
from datetime import UTC, timedelta
from typing import Any

from poolbooks.simulator.accounts import SimAccount
from poolbooks.simulator.clock import Moment
from poolbooks.simulator.hashrates import with_unit
from poolbooks.simulator.history import SimDay
from poolbooks.simulator.mining import day_hashrate_hs, full_day_earnings_sat


def earnings_today_sat(seed: int, account: SimAccount, at: Moment) -> int:
    """Today's estimate: the share of the day gone by times a whole day's earnings."""
    if not account.has_history:
        return 0
    local = at.local_now
    elapsed = (local - local.replace(hour=0, minute=0, second=0, microsecond=0)).seconds
    return math.floor(full_day_earnings_sat(seed, account, at.today) * elapsed / 86400)


def earn_stats(seed: int, account: SimAccount, history: list[SimDay], at: Moment) -> dict[str, Any]:
    """earn-stats in the shape of an answer captured in 2020: money as strings,
    `last_payment_time` an integer, and the fields the API text does not list."""
    settled_unpaid = sum(d.owed_sat for d in history)
    total_paid = sum(d.paid_amount_sat for d in history)
    times = [p.time for d in history for p in d.payments]
    last = int(max(times).replace(tzinfo=at.zone).astimezone(UTC).timestamp()) if times else 0
    yesterday = history[-2].earnings_sat if len(history) >= 2 else 0
    today = earnings_today_sat(seed, account, at)
    rate_1d, unit_1d = with_unit(day_hashrate_hs(seed, account, at.today), places=4)
    rate_yd, unit_yd = with_unit(
        day_hashrate_hs(seed, account, at.today - timedelta(days=1)), places=4
    )
    per_100t = _per_100t(seed, account, at)
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


def _per_100t(seed: int, account: SimAccount, at: Moment) -> int:
    """What 100 TH/s earned yesterday under the account's mode, in satoshi."""
    day = at.today - timedelta(days=1)
    hashrate = day_hashrate_hs(seed, account, day)
    if not hashrate:
        return 0
    return math.floor(full_day_earnings_sat(seed, account, day) * 1e14 / hashrate)


def account_info(account: SimAccount) -> dict[str, Any]:
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
