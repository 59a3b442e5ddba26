"""Point-in-time answers into records: satoshi, unix times, hashrate units, unknown fields kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.errors import MalformedData
from poolbooks.pool_api.snapshots import (
    parse_account_info,
    parse_earn_stats,
    parse_hashrate,
    parse_pool_stats,
    parse_worker_stats,
)
from tests.pool_api.bodies import body

SNAP = Where("main", "earn-stats")


def test_earn_stats_strings_to_satoshi_and_unix_time() -> None:
    stats = parse_earn_stats(
        body(
            {
                "total_paid": "1380002903",
                "pending_payouts": "0",
                "last_payment_time": "1486950337",
                "earnings_today": "12",
                "earnings_yesterday": 34,
                "unpaid": "46",
            }
        ),
        SNAP,
    )
    assert stats.total_paid_sat == 1380002903 and stats.unpaid_sat == 46
    assert stats.last_payment_time == datetime(2017, 2, 13, 1, 45, 37, tzinfo=UTC)
    zero = parse_earn_stats(
        body(
            {k: "0" for k in ("total_paid", "last_payment_time", "earnings_today")}
            | {"earnings_yesterday": "0", "unpaid": "0"}
        ),
        SNAP,
    )
    assert zero.last_payment_time is None


def test_hashrate_units_are_normalised_to_hashes_per_second() -> None:
    rate = parse_hashrate(
        body(
            {
                "shares_15m": "22.88",
                "shares_15m_unit": "P",
                "shares_1d": 23.33,
                "shares_1d_unit": "E",
            }
        ),
        SNAP,
    )
    assert rate.shares_15m_hs == 22.88e15
    assert rate.shares_1d_hs == 23.33e18


@pytest.mark.parametrize(("unit", "scale"), [("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)])
def test_every_hashrate_unit(unit: str, scale: float) -> None:
    rate = parse_hashrate(
        body(
            {"shares_15m": "2", "shares_15m_unit": unit, "shares_1d": "0", "shares_1d_unit": unit}
        ),
        SNAP,
    )
    assert rate.shares_15m_hs == 2 * scale


def test_unknown_hashrate_unit_names_the_field() -> None:
    with pytest.raises(MalformedData, match="field shares_15m_unit: unknown hashrate unit 'Q'"):
        parse_hashrate(
            body(
                {"shares_15m": "1", "shares_15m_unit": "Q", "shares_1d": "1", "shares_1d_unit": "P"}
            ),
            SNAP,
        )


def test_worker_and_pool_stats_and_account_info() -> None:
    workers = parse_worker_stats(
        body(
            {
                "workers_active": 1999,
                "workers_inactive": 1,
                "workers_dead": 1,
                "shares_1m": "22.55",
                "shares_5m": "22.79",
                "shares_15m": "22.85",
                "workers_total": 2000,
                "shares_unit": "P",
            }
        ),
        SNAP,
    )
    assert workers.workers_total == 2000 and workers.shares_15m_hs == 22.85e15
    pool = parse_pool_stats(
        body(
            {
                "shares": {
                    "shares_1m": 114.6,
                    "shares_5m": 115.6,
                    "shares_15m": 115.8,
                    "shares_unit": "P",
                },
                "reject": {"1m": 0, "5m": 0, "15m": 0.0007},
                "workers": 15424,
                "users": 555,
            }
        ),
        SNAP,
    )
    assert pool.shares_15m_hs == 115.8e15 and pool.users == 555 and pool.reject_15m == 0.0007
    info = parse_account_info(
        body(
            {
                "user_id": 88888,
                "user_name": "spica",
                "address": "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv ",
                "region": "中国",
                "alert": {"x": 1},
            }
        ),
        SNAP,
    )
    assert info.address == "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv"
    assert json.loads(info.extra or "") == {"alert": {"x": 1}}


def test_pure_twins_of_hashrate_and_worker_answers_are_kept() -> None:
    rate = parse_hashrate(
        body(
            {
                "shares_15m": "22.88",
                "shares_15m_unit": "P",
                "shares_15m_pure": "22880000000000000",
                "shares_1d": "23.33",
                "shares_1d_unit": "P",
                "shares_1d_pure": "23330000000000000",
            }
        ),
        SNAP,
    )
    assert rate.shares_15m_hs == 22.88e15
    assert json.loads(rate.extra or "") == {
        "shares_15m_pure": "22880000000000000",
        "shares_1d_pure": "23330000000000000",
    }
    workers = parse_worker_stats(
        body(
            {
                "workers_active": 3,
                "workers_inactive": 0,
                "workers_dead": 0,
                "workers_total": 3,
                "shares_1m": "1.5",
                "shares_5m": "1.5",
                "shares_15m": "1.5",
                "shares_unit": "T",
                "shares_15m_pure": "1500000000000",
            }
        ),
        SNAP,
    )
    assert json.loads(workers.extra or "") == {"shares_15m_pure": "1500000000000"}
