"""The simulated pool: deterministic, consistent with itself, faulty on request."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from pipelines.http.settings import ClientSettings
from pipelines.pool_api.faults import FaultSpecError, parse_faults
from pipelines.pool_api.paging import collect_earn_history
from pipelines.pool_api.simulated_chain import difficulty, epoch_start, subsidy_sat
from pipelines.pool_api.simulated_pool import PPS_FEE, SIM_DEFAULT_NOW, SimulatedPool
from pipelines.pool_api.simulator import create_app, running_simulator
from tests.conftest import Sim

pytestmark = pytest.mark.anyio


def test_same_seed_same_answers_other_seed_other_answers() -> None:
    a, b, c = SimulatedPool(seed=7), SimulatedPool(seed=7), SimulatedPool(seed=8)
    account_a, account_b, account_c = a.accounts[0], b.accounts[0], c.accounts[0]
    assert a.earn_history_rows(account_a) == b.earn_history_rows(account_b)
    assert a.earn_stats(account_a) == b.earn_stats(account_b)
    assert a.earn_history_rows(account_a) != c.earn_history_rows(account_c)


def test_pps_earnings_follow_the_subsidy_formula() -> None:
    pool = SimulatedPool(days=60)
    account = pool.accounts[0]
    assert account.payment_mode == "PPS"
    for day in pool.history(account)[:-1]:
        expected = (
            pool.day_hashrate_hs(account, day.date)
            * 86400
            * subsidy_sat("BTC", day.date)
            / (difficulty("BTC", day.date, pool.seed) * 2**32)
        )
        assert day.earnings_sat == math.floor(expected * (1 - PPS_FEE))


def test_fpps_pays_more_than_pps_for_the_same_hashrate() -> None:
    pool = SimulatedPool(days=30)
    pps, fpps = pool.accounts[0], pool.accounts[1]
    assert fpps.payment_mode == "FPPS"
    day = pool.today - timedelta(days=3)
    ratio_pps = pool.full_day_earnings_sat(pps, day) / pool.day_hashrate_hs(pps, day)
    ratio_fpps = pool.full_day_earnings_sat(fpps, day) / pool.day_hashrate_hs(fpps, day)
    assert ratio_fpps > ratio_pps


def test_difficulty_steps_every_fourteen_days_and_subsidy_halves() -> None:
    day = date(2023, 3, 1)
    start = epoch_start(day)
    assert difficulty("BTC", start, 1) == difficulty("BTC", start + timedelta(days=13), 1)
    assert difficulty("BTC", start, 1) != difficulty("BTC", start + timedelta(days=14), 1)
    assert subsidy_sat("BTC", date(2024, 4, 19)) == 625_000_000
    assert subsidy_sat("BTC", date(2024, 4, 20)) == 312_500_000
    assert subsidy_sat("BCH", date(2020, 4, 8)) == 625_000_000
    assert 3e11 < difficulty("BTC", date(2017, 2, 12), 1) < 5e11


def test_today_is_provisional_and_earn_stats_agree_with_the_history() -> None:
    pool = SimulatedPool(days=200)
    for account in pool.accounts:
        history = pool.history(account)
        assert history[-1].date == pool.today and history[-1].earnings_sat == 0
        stats = pool.earn_stats(account)
        unpaid_settled = sum(d.earnings_sat - d.paid_amount_sat for d in history[:-1])
        assert int(stats["unpaid"]) == unpaid_settled + int(stats["earnings_today"])
        assert int(stats["total_paid"]) == sum(d.paid_amount_sat for d in history)
        assert int(stats["earnings_yesterday"]) == history[-2].earnings_sat
        assert int(stats["earnings_today"]) > 0


def test_payouts_cover_several_days_and_reach_the_threshold() -> None:
    pool = SimulatedPool(days=200)
    account = pool.accounts[0]
    by_tx: dict[str, list[int]] = {}
    for day in pool.history(account):
        for i, payment in enumerate(day.payments):
            by_tx.setdefault(payment.txid, []).append(payment.amount_sat)
            assert payment.time.date() > day.date
            # the balance that made a payout counts what it left of a split day for the next
            if i == 0:
                by_tx[payment.txid].append(day.earnings_sat - payment.amount_sat)
        if day.payments and day.owed_sat == 0:
            assert day.paid_amount_sat == day.earnings_sat
    assert by_tx and max(len(days) for days in by_tx.values()) > 2
    assert all(sum(days) >= account.threshold_sat for days in by_tx.values())


def test_some_days_are_paid_in_two_payments_with_the_rest_owed_until_the_next() -> None:
    pool = SimulatedPool(days=400)
    account = pool.accounts[0]
    history = pool.history(account)
    split = [d for d in history if len(d.payments) == 2]
    assert len(split) >= 5 and history[49] in split  # the 50th day always
    for day in split:
        first, second = sorted(day.payments, key=lambda p: p.time)
        assert first.txid != second.txid and first.time < second.time
        assert first.amount_sat + second.amount_sat == day.earnings_sat
    rows = pool.earn_history_rows(account)
    assert len(rows) > len(history)  # a row per payment
    owed = [d for d in history if d.payments and d.owed_sat]
    for day in owed:  # paid in part so far: a paid row and an unpaid one with its reason
        stamp = int(day.date.strftime("%Y%m%d"))
        mine = [r for r in rows if int(r["date"]) == stamp]
        assert sorted(bool(r["payment_tx"]) for r in mine) == [False, True]
        assert [r.get("unpaid_reason") for r in mine if not r["payment_tx"]] != [None]


def test_the_fiftieth_day_straddles_the_first_page_boundary_oldest_first() -> None:
    pool = SimulatedPool(days=200, overrides={880001: {"order": "oldest_first"}})
    rows = pool.earn_history_rows(pool.accounts[0])
    assert int(rows[49]["date"]) == int(rows[50]["date"])
    assert rows[49]["payment_tx"] != rows[50]["payment_tx"]


def test_a_sub_account_with_no_history_yet_has_no_rows() -> None:
    pool = SimulatedPool(days=30, overrides={880002: {"has_history": False}})
    account = pool.accounts[1]
    assert pool.history(account) == [] and pool.earn_history_rows(account) == []
    stats = pool.earn_stats(account)
    assert (stats["total_paid"], stats["unpaid"], stats["last_payment_time"]) == ("0", "0", 0)


def test_numbers_arrive_as_integers_and_as_strings_as_captured() -> None:
    pool = SimulatedPool(days=200)
    rows = pool.earn_history_rows(pool.accounts[0])
    kinds = {type(r["earnings"]) for r in rows} | {type(r["date"]) for r in rows}
    assert kinds == {int, str}
    stats = pool.earn_stats(pool.accounts[0])
    assert isinstance(stats["last_payment_time"], int) and isinstance(stats["unpaid"], str)
    assert set(stats["hashrate_yesterday"]) == {"size", "unit"}


def test_the_last_new_accounts_have_no_history_yet() -> None:
    pool = SimulatedPool(n_accounts=5, new_accounts=1, days=60)
    assert [a.has_history for a in pool.accounts] == [True, True, True, True, False]
    assert pool.earn_history_rows(pool.accounts[4]) == []
    assert pool.hashrate(pool.accounts[4])["shares_15m_pure"] == "0"
    assert pool.accounts[3].order == "oldest_first" and pool.history(pool.accounts[3])
    with pytest.raises(ValueError, match="new_accounts"):
        SimulatedPool(n_accounts=2, new_accounts=3)


def test_a_pool_built_again_later_from_its_start_and_days_tells_the_same_past() -> None:
    """What `poolbooks simulate --config` does with the demo's pool, months later."""
    start, ends = date(2024, 12, 2), datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    demo = SimulatedPool(n_accounts=4, days=730, start=start, now=ends)
    later = SimulatedPool(n_accounts=4, days=730, start=start, now=ends + timedelta(days=75))
    for then, now in zip(demo.accounts, later.accounts, strict=True):
        assert then.threshold_sat == now.threshold_sat
        past = [d for d in demo.history(then) if d.payments and not d.owed_sat]
        assert len(past) > 600
        assert past == later.history(now)[: len(past)]


def test_a_moved_clock_answers_as_a_pool_built_at_that_clock() -> None:
    """The histories are kept while the clock moves within a day and before a payout time;
    whatever they keep, every answer is the one a fresh pool gives at that clock."""
    start = SimulatedPool(days=120).first_day
    moved = SimulatedPool(n_accounts=4, days=120, start=start)
    for step in range(12):
        moved.advance(seconds=5 * 3600 + 17)
        fresh = SimulatedPool(n_accounts=4, days=120, start=start, now=moved.now)
        for mine, theirs in zip(moved.accounts, fresh.accounts, strict=True):
            assert moved.earn_history_rows(mine) == fresh.earn_history_rows(theirs), step
            assert moved.earn_stats(mine) == fresh.earn_stats(theirs), step
        assert moved.payouts().keys() == fresh.payouts().keys()


async def test_in_wall_clock_mode_the_server_follows_the_wall_clock() -> None:
    wall = [datetime(2026, 11, 22, 12, 0, tzinfo=UTC)]
    pool = SimulatedPool(n_accounts=2, days=30, now=wall[0])
    account = pool.accounts[0]
    key = {"puid": account.puid, "access_key": account.access_key}
    app = create_app(pool, wall_clock=lambda: wall[0])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://s") as http:

        async def clock() -> dict[str, str]:
            body: dict[str, str] = (await http.get("/_sim/clock")).json()
            return body

        async def history_days() -> int:
            body = (await http.get("/v1/account/earn-history", params=key)).json()
            return len({int(row["date"]) for row in body["data"]["list"]})

        assert await clock() == {"now": wall[0].isoformat(), "today": "2026-11-22", "clock": "wall"}
        before = await history_days()
        wall[0] += timedelta(seconds=30)  # under a minute: the clock stays
        assert (await clock())["now"] == "2026-11-22T12:00:00+00:00"
        wall[0] += timedelta(days=2)
        assert await history_days() == before + 2  # an API request moves the clock
        assert (await clock())["today"] == "2026-11-24"
        wall[0] -= timedelta(days=1)  # a wall clock set back: the pool's clock never goes back
        assert (await clock())["today"] == "2026-11-24"
    fixed = create_app(SimulatedPool(n_accounts=1, days=30))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(fixed), base_url="http://s") as http:
        assert (await http.get("/_sim/clock")).json()["clock"] == "fixed"
        assert (await http.get("/_sim/clock")).json()["now"] == SIM_DEFAULT_NOW.isoformat()


def test_moving_the_clock_settles_today_and_adds_a_row() -> None:
    pool = SimulatedPool(days=30)
    account = pool.accounts[0]
    today = pool.today
    pool.advance(days=1)
    history = pool.history(account)
    assert history[-1].date == today + timedelta(days=1)
    assert history[-2].date == today and history[-2].earnings_sat > 0


async def test_esplora_serves_payout_transactions(sim: Sim) -> None:
    payouts = sim.pool.payouts()
    txid, payout = next(iter(payouts.items()))
    async with httpx.AsyncClient(transport=sim.transport(), base_url="http://sim") as http:
        found = (await http.get(f"/esplora/tx/{txid}")).json()
        missing = await http.get("/esplora/tx/" + "0" * 64)
    outputs = {o["scriptpubkey_address"]: o["value"] for o in found["vout"]}
    assert outputs[payout.address] == payout.amount_sat
    assert found["status"]["confirmed"] is True and found["status"]["block_height"] > 800_000
    assert missing.status_code == 404


async def test_esplora_shows_a_payout_unconfirmed_until_its_block_time(sim: Sim) -> None:
    txid, payout = max(sim.pool.payouts().items(), key=lambda item: item[1].time_utc)
    sim.pool.set_now(payout.time_utc + timedelta(minutes=1))
    async with httpx.AsyncClient(transport=sim.transport(), base_url="http://sim") as http:
        pending = (await http.get(f"/esplora/tx/{txid}")).json()
        sim.pool.set_now(payout.time_utc + timedelta(hours=1))
        mined = (await http.get(f"/esplora/tx/{txid}")).json()
    assert pending["status"] == {"confirmed": False}
    block_time = payout.time_utc + timedelta(minutes=7)
    assert mined["status"]["confirmed"] is True
    assert mined["status"]["block_time"] == int(block_time.timestamp())


def test_each_account_has_its_own_noisy_hashrate() -> None:
    pool = SimulatedPool(n_accounts=2, days=30)
    first, second = pool.accounts
    days = [pool.first_day + timedelta(days=i) for i in range(29)]
    rates = [pool.day_hashrate_hs(first, day) for day in days]
    live = [rate for rate in rates if rate > 0]
    assert len(set(live)) == len(live)  # no two days alike
    assert max(live) / min(live) < 1.2  # noise around a slowly growing mean, not chaos
    assert rates != [pool.day_hashrate_hs(second, day) for day in days]


def test_worker_stats_add_up_to_the_total() -> None:
    pool = SimulatedPool(n_accounts=3, days=30)
    for account in pool.accounts:
        for _ in range(5):
            stats = pool.worker_stats(account)
            parts = stats["workers_active"] + stats["workers_inactive"] + stats["workers_dead"]
            assert parts == stats["workers_total"] > 0 and stats["workers_active"] > 0
            pool.advance(seconds=600)


async def test_latency_fault_delays_every_answer(make_sim: Callable[..., Sim]) -> None:
    sim = make_sim("latency=150ms", days=30)
    account = sim.pool.accounts[0]
    params = {"puid": account.puid, "access_key": account.access_key}
    async with httpx.AsyncClient(transport=sim.transport(), base_url="http://sim") as http:
        started = time.perf_counter()
        for _ in range(3):
            assert (await http.get("/v1/account/earn-stats", params=params)).status_code == 200
        took = time.perf_counter() - started
    assert took >= 3 * 0.15


async def test_wrong_key_gets_err_no_20001(sim: Sim) -> None:
    account = sim.pool.accounts[0]
    async with httpx.AsyncClient(transport=sim.transport(), base_url="http://sim") as http:
        body = (
            await http.get(
                "/v1/account/earn-stats", params={"puid": account.puid, "access_key": "wrong"}
            )
        ).json()
    assert body["err_no"] == 20001 and body["data"] is None


def test_fault_spec_is_parsed_and_checked() -> None:
    faults = parse_faults("latency=20ms,5xx=0.05,429=0.02,timeout=0.01,err_no=0.01,drift=1")
    assert faults.latency == 0.02 and faults.p_5xx == 0.05 and faults.drift == 1
    assert parse_faults("rate=100,retry_after=0").rate == 100
    for bad in ("5xx=2", "bogus=1", "latency=fast", "5xx=0.6,429=0.6"):
        with pytest.raises(FaultSpecError):
            parse_faults(bad)


@pytest.mark.parametrize(
    ("spec", "check"),
    [
        ("5xx=1", lambda r: r.status_code in (500, 502, 503, 504)),
        ("429=1,retry_after=2", lambda r: r.status_code == 429 and r.headers["Retry-After"]),
        ("err_no=1", lambda r: r.json()["err_no"] == 10001),
        ("badjson=1", lambda r: r.status_code == 200 and not r.text.endswith("}")),
        ("html=1", lambda r: r.headers["content-type"].startswith("text/html")),
    ],
)
async def test_each_fault_kind_shows_on_the_wire(
    make_sim: Callable[..., Sim], spec: str, check: Callable[[httpx.Response], bool]
) -> None:
    sim = make_sim(spec)
    account = sim.pool.accounts[0]
    async with httpx.AsyncClient(transport=sim.transport(), base_url="http://sim") as http:
        response = await http.get(
            "/v1/account/earn-stats",
            params={"puid": account.puid, "access_key": account.access_key},
        )
    assert check(response)


async def test_connection_reset_fault_raises_in_process(make_sim: Callable[..., Sim]) -> None:
    sim = make_sim("reset=1")
    async with httpx.AsyncClient(transport=sim.transport(), base_url="http://sim") as http:
        with pytest.raises(ConnectionResetError):
            await http.get("/public/v1/pool/stats")


def test_fault_draws_are_the_same_whatever_the_interleaving() -> None:
    faults = parse_faults("5xx=0.3,err_no=0.2")
    first = [faults.draw(1, f"/v1/x?page={p}", n) for p in range(20) for n in (1, 2)]
    again = [faults.draw(1, f"/v1/x?page={p}", n) for p in reversed(range(20)) for n in (1, 2)]
    assert first == [again[(19 - i // 2) * 2 + i % 2] for i in range(40)]
    assert {None, "5xx", "err_no"} == set(first)


async def test_rate_limit_answers_429_with_retry_after(make_sim: Callable[..., Sim]) -> None:
    sim = make_sim("rate=5")
    async with httpx.AsyncClient(transport=sim.transport(), base_url="http://sim") as http:
        statuses = [(await http.get("/public/v1/pool/stats")) for _ in range(8)]
    limited = [r for r in statuses if r.status_code == 429]
    assert len(limited) >= 2 and int(limited[0].headers["Retry-After"]) >= 1
    assert sim.state.rate_limited == len(limited)


async def test_client_gets_fault_free_answers_through_every_fault(
    make_sim: Callable[..., Sim],
) -> None:
    clean = make_sim(days=150)
    faulty = make_sim(
        "5xx=0.1,429=0.05,retry_after=0,err_no=0.05,badjson=0.05,html=0.03,reset=0.03,drift=1",
        days=150,
    )
    results = []
    patient = ClientSettings(requests_per_second=10_000, concurrency=8, max_attempts=12)
    for sim in (clean, faulty):
        async with sim.client(patient) as client:
            account = sim.accounts[0]
            _, rows = await collect_earn_history(client, account)
            stats = (await client.earn_stats(account)).record
            info = (await client.account_info(account)).record
            results.append((rows, stats, info))
            if sim is faulty:
                assert client.stats.retries > 0
    assert results[0] == results[1]
    assert sum(faulty.state.faults_injected.values()) > 0


async def test_admin_endpoints_move_the_clock_and_report_counts(sim: Sim) -> None:
    async with httpx.AsyncClient(transport=sim.transport(), base_url="http://sim") as http:
        before = (await http.get("/_sim/clock")).json()
        await http.get("/public/v1/pool/stats")
        moved = (await http.post("/_sim/clock", json={"advance_days": 1})).json()
        stats = (await http.get("/_sim/stats")).json()
        await http.post("/_sim/faults", json={"spec": "5xx=1"})
        failing = await http.get("/public/v1/pool/stats")
        accounts = (await http.get("/_sim/accounts")).json()
    assert date.fromisoformat(moved["today"]) == date.fromisoformat(before["today"]) + timedelta(1)
    assert stats["requests"] == 1 and stats["by_endpoint"] == {"pool-stats": 1}
    assert failing.status_code >= 500
    assert [a["puid"] for a in accounts] == [a.puid for a in sim.pool.accounts]


def test_simulator_is_a_real_server_on_loopback(sim: Sim) -> None:
    account = sim.pool.accounts[0]
    with running_simulator(sim.app) as running:
        params = {"puid": account.puid, "access_key": account.access_key}
        with httpx.Client(base_url=running.base_url) as http:
            for path in (
                "/v1/account/info",
                "/v1/account/earn-stats",
                "/v1/account/earn-history",
                "/v1/realtime/hashrate",
                "/v1/worker/stats",
                "/public/v1/pool/stats",
                "/public/v1/pool/stats/merge",
            ):
                body = http.get(path, params=params).json()
                assert body["err_no"] == 0 and body["data"], path


async def test_real_server_connection_reset_is_a_transport_error_for_the_client(
    make_sim: Callable[..., Sim],
) -> None:
    from pipelines.pool_api.client import PoolClient
    from pipelines.pool_api.errors import TransportError
    from pipelines.pool_api.simulator import config_accounts

    sim = make_sim("reset=1")
    with running_simulator(sim.app) as running:
        (account, *_) = config_accounts(sim.pool, running.base_url)
        async with PoolClient(ClientSettings(max_attempts=2), backoff_base=0.001) as client:
            with pytest.raises(TransportError, match="gave up after 2 attempts"):
                await client.earn_stats(account)
