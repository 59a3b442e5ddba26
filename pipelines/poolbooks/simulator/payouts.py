"""Payouts as the simulated chain holds them, and Esplora's `/tx/:txid` answer for one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from poolbooks.simulator.accounts import SimAccount, address
from poolbooks.simulator.chain import SAT_PER_COIN, block_height
from poolbooks.simulator.history import SimDay

BLOCK_AFTER = timedelta(minutes=7)  # a payout is mined this long after the pool sends it


@dataclass(frozen=True)
class SimPayout:
    account: SimAccount
    txid: str
    amount_sat: int
    time_utc: datetime
    address: str


def collect_payouts(
    histories: Iterable[tuple[SimAccount, list[SimDay]]], zone: ZoneInfo
) -> dict[str, SimPayout]:
    """Every payout of every account, by txid (a payout covering several days sums them)."""
    found: dict[str, SimPayout] = {}
    for account, days in histories:
        for day in days:
            for payment in day.payments:
                amount = payment.amount_sat
                if payment.txid in found:
                    amount += found[payment.txid].amount_sat
                found[payment.txid] = SimPayout(
                    account=account,
                    txid=payment.txid,
                    amount_sat=amount,
                    time_utc=payment.time.replace(tzinfo=zone).astimezone(UTC),
                    address=payment.address,
                )
    return found


def esplora_transaction(payout: SimPayout, seed: int, now: datetime) -> dict[str, Any]:
    """The payout as Esplora shows it: to the account's address plus change, confirmed once
    its block time has come."""
    block_time = payout.time_utc + BLOCK_AFTER
    change = address(payout.account.coin, seed, payout.txid, "change")
    vout = [
        {"scriptpubkey_address": payout.address, "value": payout.amount_sat},
        {"scriptpubkey_address": change, "value": 3 * SAT_PER_COIN + payout.amount_sat % 997},
    ]
    status: dict[str, Any] = {"confirmed": False}
    if block_time <= now:
        status = {
            "confirmed": True,
            "block_height": block_height(block_time),
            "block_time": int(block_time.timestamp()),
        }
    return {
        "txid": payout.txid,
        "version": 2,
        "locktime": 0,
        "vin": [],
        "vout": vout,
        "status": status,
    }
