"""The simulated sub-accounts: who they are, and the pool's habits towards each."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from poolbooks.simulator.chain import difficulty
from poolbooks.simulator.draws import unit_hash
from poolbooks.simulator.halvings import subsidy_sat

SIM_FIRST_PUID = 880001
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


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
    split_payments: bool = True  # some days paid in two payments (see history.SPLIT_SHARE)


def sim_access_key(seed: int, puid: int) -> str:
    """The key the simulator accepts for a puid unless a test gives its own."""
    return "sim-" + hashlib.sha256(f"{seed}:{puid}".encode()).hexdigest()[:24]


def address(coin: str, *parts: object) -> str:
    """An address of the coin's shape (P2SH for BTC, CashAddr for BCH), drawn from the parts."""
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


def txid(*parts: object) -> str:
    """A transaction id drawn from the parts."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def make_account(
    seed: int,
    index: int,
    habits_day: date,
    has_history: bool,
    keys: Mapping[int, str],
    overrides: Mapping[int, Mapping[str, Any]],
) -> SimAccount:
    """The `index`-th sub-account; its threshold is a few days' earnings on `habits_day`."""
    puid = SIM_FIRST_PUID + index

    def u(*key: object) -> float:
        return unit_hash(seed, "account", puid, *key)

    coin = "BCH" if index % 3 == 2 else "BTC"
    hashrate = 10 ** (14.7 + 2.0 * u("hashrate")) * (0.1 if coin == "BCH" else 1.0)
    daily = hashrate * 86400 * subsidy_sat(coin, habits_day)
    daily /= difficulty(coin, habits_day, seed) * 2**32
    threshold = max(100_000, round(daily * (2, 3, 5)[int(u("threshold") * 3)], -5))
    account = SimAccount(
        index=index,
        puid=puid,
        name=f"sim{index + 1:03d}",
        access_key=keys.get(puid, sim_access_key(seed, puid)),
        coin=coin,
        payment_mode="PPS" if index % 2 == 0 else "FPPS",
        order="oldest_first" if index % 4 == 3 else "newest_first",
        address=address(coin, seed, puid, "payout"),
        base_hashrate_hs=hashrate,
        threshold_sat=int(threshold),
        payout_seconds=3600 + int(u("payout") * 3 * 3600),
        string_numbers=index % 5 == 4,
        padded_address=index % 2 == 0,
        has_history=has_history,
    )
    return replace(account, **overrides.get(puid, {}))
