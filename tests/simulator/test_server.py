"""The simulator as an ASGI app: its endpoints, Esplora, faults on the wire, admin routes."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from poolbooks.http.settings import ClientSettings
from poolbooks.pool_api.paging import collect_earn_history
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.server import create_app
from poolbooks.simulator.settings import SIM_DEFAULT_NOW
from tests.conftest import Sim

pytestmark = pytest.mark.anyio


async def test_in_wall_clock_mode_the_server_follows_the_wall_clock() -> None:
    wall = [datetime(2026, 11, 22, 12, 0, tzinfo=UTC)]
    pool = SimulatedPool(n_accounts=2, days=30, now=wall[0])
    account = pool.accounts[0]
    key: dict[str, int | str] = {"puid": account.puid, "access_key": account.access_key}
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


async def test_latency_fault_delays_every_answer(make_sim: Callable[..., Sim]) -> None:
    sim = make_sim("latency=150ms", days=30)
    account = sim.pool.accounts[0]
    params: dict[str, int | str] = {"puid": account.puid, "access_key": account.access_key}
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
