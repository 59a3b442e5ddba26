"""What an account mines: its hashrate on a day and a whole day's earnings under its mode."""

from __future__ import annotations

import math
from datetime import date

from poolbooks.simulator.accounts import SimAccount
from poolbooks.simulator.chain import difficulty
from poolbooks.simulator.draws import unit_hash
from poolbooks.simulator.halvings import subsidy_sat

PPS_FEE = 0.04
FPPS_FEE = 0.04


def day_hashrate_hs(seed: int, account: SimAccount, day: date) -> float:
    """Mean hashrate of a day: slow growth, daily noise, and now and then a dead day."""
    if unit_hash(seed, "down", account.puid, day) < 0.01:
        return 0.0
    years = (day - date(2020, 1, 1)).days / 365.25
    noise = 1 + (unit_hash(seed, "noise", account.puid, day) - 0.5) * 0.08
    growth: float = 1.15**years
    return account.base_hashrate_hs * growth * noise


def full_day_earnings_sat(seed: int, account: SimAccount, day: date) -> int:
    """PPS (or FPPS, with a share of fees) for a whole day, after the pool's fee."""
    hashrate = day_hashrate_hs(seed, account, day)
    expected = (
        hashrate
        * 86400
        * subsidy_sat(account.coin, day)
        / (difficulty(account.coin, day, seed) * 2**32)
    )
    if account.payment_mode == "FPPS":
        tx_fees = 0.03 + 0.07 * unit_hash(seed, "fees", account.coin, day)
        return math.floor(expected * (1 + tx_fees) * (1 - FPPS_FEE))
    return math.floor(expected * (1 - PPS_FEE))
