"""The client against the simulator served by two HTTP stacks, uvicorn and the standard
library's `http.server`: real sockets on loopback and the real aiohttp transport."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from poolbooks.config import Config, load_config
from poolbooks.demo_config import config_accounts, write_sim_config
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.run import ingest
from poolbooks.lake.datasets import SNAPSHOT_DATASETS
from poolbooks.lake.reader import open_dataset
from poolbooks.lake.storage import LakeStorage
from poolbooks.onchain.esplora import EsploraClient
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.order import Order
from poolbooks.pool_api.paging import collect_earn_history
from poolbooks.pool_api.records import EarnHistoryRow
from poolbooks.pool_api.walk_report import WalkReport
from poolbooks.simulator.running import RunningSimulator, running_simulator
from tests.conftest import Sim
from tests.servers.stdlib_server import running_stdlib_simulator

pytestmark = pytest.mark.anyio

Serve = Callable[[Starlette], AbstractContextManager[RunningSimulator]]
STACKS: dict[str, Serve] = {"uvicorn": running_simulator, "stdlib": running_stdlib_simulator}
QUICK = ClientSettings(requests_per_second=2000, concurrency=16, timeout_seconds=2, max_attempts=6)
# About two in five answers fail, in every way; a stalled answer (timeout, slow) takes twice
# the client's timeout. Sixteen attempts make a request fail for good once in five million.
FAULT_MIX = (
    "5xx=0.07,429=0.05,retry_after=1,err_no=0.07,badjson=0.07,html=0.07,reset=0.07,"
    "timeout=0.07,slow=0.07,hang=0.4"
)
PATIENT = ClientSettings(
    requests_per_second=2000,
    concurrency=16,
    timeout_seconds=0.2,
    max_attempts=16,
    backoff_seconds=0.01,
    backoff_cap_seconds=0.05,
)
ORDERS = [(0, Order.NEWEST_FIRST), (3, Order.OLDEST_FIRST)]  # account index % 4 == 3: oldest


@pytest.fixture(params=list(STACKS))
def serve(request: pytest.FixtureRequest) -> Serve:
    return STACKS[request.param]


def network_client(sim: Sim, settings: ClientSettings = QUICK) -> PoolClient:
    """A client on the real network transport, fetching in the pool's simulated time."""
    return PoolClient(
        settings,
        timezone=sim.pool.zone,
        clock=lambda: sim.pool.now,
        backoff_base=0.001,
        backoff_cap=0.01,
    )


def accounts(sim: Sim, server: RunningSimulator) -> list[Account]:
    return config_accounts(sim.pool, server.base_url)


def history_rows(rows: list[EarnHistoryRow]) -> list[tuple[Any, ...]]:
    """Rows as (date, earnings, paid, payment_tx), sorted as the client sorts them."""
    found = [(r.date, r.earnings_sat, r.paid_amount_sat, r.payment_tx) for r in rows]
    return sorted(found, key=lambda row: (row[0], row[3] or ""))


def pool_history(sim: Sim, index: int) -> list[tuple[Any, ...]]:
    """The rows the pool holds for an account, in the same shape and order."""
    served = sim.pool.earn_history_rows(sim.pool.accounts[index])
    rows = [
        (
            datetime.strptime(str(row["date"]), "%Y%m%d").date(),
            int(row["earnings"]),
            int(row["paid_amount"]),
            row["payment_tx"] or None,
        )
        for row in served
    ]
    return sorted(rows, key=lambda row: (row[0], row[3] or ""))


async def test_every_endpoint_parses(make_sim: Callable[..., Sim], serve: Serve) -> None:
    sim = make_sim(days=120)
    truth = sim.pool.accounts[0]
    payout = next(iter(sim.pool.payouts().values()))
    with serve(sim.app) as server:
        account = accounts(sim, server)[0]
        async with network_client(sim) as client:
            info = await client.account_info(account)
            stats = await client.earn_stats(account)
            rate = await client.hashrate(account)
            workers = await client.worker_stats(account)
            pool = await client.pool_stats(account)
            merged = await client.pool_stats(account, merge=True)
            page = await client.earn_history_page(account, 1, 50)
        esplora = EsploraClient(f"{server.base_url}/esplora", QUICK)
        try:
            tx = await esplora.transaction(account.name, payout.txid, payout.address)
        finally:
            await esplora.aclose()
    assert info.record.address == truth.address and info.record.user_id == truth.puid
    assert stats.record.total_paid_sat == int(sim.pool.earn_stats(truth)["total_paid"])
    assert rate.record.shares_15m_hs > 0
    assert workers.record.workers_total == sim.pool.worker_stats(truth)["workers_total"]
    assert merged.record.shares_15m_hs > pool.record.shares_15m_hs > 0
    assert len(page.rows) == 50
    assert page.total_count == len(sim.pool.earn_history_rows(truth))
    assert tx.found and tx.onchain_sat == payout.amount_sat
    assert set(sim.state.by_endpoint.values()) == {1} and len(sim.state.by_endpoint) == 8
    assert sim.state.by_status == {"200": 8}


@pytest.mark.parametrize(("index", "order"), ORDERS, ids=[o.value for _, o in ORDERS])
async def test_a_full_walk_gives_the_pools_history_in_either_order(
    make_sim: Callable[..., Sim], serve: Serve, index: int, order: Order
) -> None:
    sim = make_sim(n_accounts=4, days=120)
    report = WalkReport()
    with serve(sim.app) as server:
        async with network_client(sim) as client:
            _, rows = await collect_earn_history(
                client, accounts(sim, server)[index], report=report
            )
    assert report.order is order and report.repages == 0
    assert history_rows(rows) == pool_history(sim, index)


async def test_5xx_answers_are_retried_until_the_real_one(
    make_sim: Callable[..., Sim], serve: Serve
) -> None:
    sim = make_sim("5xx=0.4", n_accounts=3, days=60)
    with serve(sim.app) as server:
        async with network_client(sim) as client:
            stats = [await client.earn_stats(a) for a in accounts(sim, server)]
            retries = client.stats.retries
    assert [s.record.total_paid_sat for s in stats] == [
        int(sim.pool.earn_stats(a)["total_paid"]) for a in sim.pool.accounts
    ]
    failed = sum(n for status, n in sim.state.by_status.items() if status.startswith("5"))
    assert failed == sim.state.faults_injected["5xx"] == retries > 0


@dataclass(frozen=True)
class Arrival:
    request: str  # path and query, without the key
    at: float  # wall clock: a Retry-After may be an HTTP date
    status: int
    retry_after: str | None


class Arrivals:
    """ASGI middleware: when each request arrived, and what its answer's status and
    Retry-After were."""

    def __init__(self, app: ASGIApp, log: list[Arrival]) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        at = time.time()
        query = b"&".join(
            p for p in scope.get("query_string", b"").split(b"&") if b"access_key" not in p
        )
        request = f"{scope.get('path')}?{query.decode()}"

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                after = dict(message["headers"]).get(b"retry-after")
                wait = after.decode() if after is not None else None
                self.log.append(Arrival(request, at, message["status"], wait))
            await send(message)

        await self.app(scope, receive, noting)


def not_before(refused: Arrival) -> float:
    """The earliest a client may ask again after a 429, by its Retry-After."""
    assert refused.retry_after is not None
    if refused.retry_after.isdigit():
        return refused.at + int(refused.retry_after)
    return parsedate_to_datetime(refused.retry_after).timestamp()


@pytest.mark.parametrize(
    ("faults", "requests_per_second"),
    [("429=0.3,retry_after=1", 2000), ("rate=10", 100)],
    ids=["429-faults", "over-the-rate-limit"],
)
async def test_every_429_is_waited_out_as_its_retry_after_says(
    make_sim: Callable[..., Sim], serve: Serve, faults: str, requests_per_second: float
) -> None:
    sim = make_sim(faults, n_accounts=8, days=30)
    log: list[Arrival] = []
    sim.app.add_middleware(Arrivals, log=log)
    settings = ClientSettings(requests_per_second=requests_per_second, timeout_seconds=2)
    with serve(sim.app) as server:
        async with network_client(sim, settings) as client:
            await asyncio.gather(
                *[client.earn_stats(a) for a in accounts(sim, server)],
                *[client.hashrate(a) for a in accounts(sim, server)],
            )
            assert client.stats.rate_limited == sim.state.by_status["429"] > 0
    for refused in (a for a in log if a.status == 429):
        retry = next(a for a in log if a.request == refused.request and a.at > refused.at)
        assert retry.at >= not_before(refused) - 0.001, refused
    assert sum(a.status == 200 for a in log) == 16


async def test_a_client_at_the_pools_rate_limit_is_never_refused(
    make_sim: Callable[..., Sim], serve: Serve
) -> None:
    sim = make_sim("rate=40", n_accounts=10, days=30)
    settings = ClientSettings(requests_per_second=40, concurrency=8, timeout_seconds=2)
    with serve(sim.app) as server:
        async with network_client(sim, settings) as client:
            calls = [client.earn_stats(a) for a in accounts(sim, server) for _ in range(7)]
            await asyncio.gather(*calls)
    assert sim.state.requests == 70 and sim.state.rate_limited == 0


@pytest.mark.parametrize(("index", "order"), ORDERS, ids=[o.value for _, o in ORDERS])
async def test_rows_added_while_paging_cause_a_repage_and_each_row_comes_once(
    make_sim: Callable[..., Sim], serve: Serve, index: int, order: Order
) -> None:
    sim = make_sim("drift=1", n_accounts=4, days=120)
    report = WalkReport()
    with serve(sim.app) as server:
        async with network_client(sim) as client:
            _, rows = await collect_earn_history(
                client, accounts(sim, server)[index], report=report
            )
    assert report.repages == 1 and report.order is order
    assert history_rows(rows) == pool_history(sim, index)


async def ingest_served(sim: Sim, serve: Serve, folder: Path) -> Config:
    with serve(sim.app) as server:
        path, environ = write_sim_config(folder, sim.pool, server.base_url)
        config = load_config(path, environ)
        async with network_client(sim, PATIENT) as client:
            report = await ingest(config, config.accounts, LakeStorage(config.lake), client=client)
    assert report.failed == []
    return config


def lake_rows(config: Config, dataset: str) -> list[str]:
    """The dataset's rows in a stable order, less the run they came in, when (a walk's time is
    the wall clock's) and from which port."""
    table = open_dataset(LakeStorage(config.lake), dataset)
    assert table is not None, dataset
    varying = {"run_id", "fetched_at", "host"} & set(table.schema.names)
    rows = table.to_table().drop(sorted(varying)).to_pylist()
    return sorted(repr(row) for row in rows)


async def test_an_ingest_through_every_kind_of_fault_equals_a_fault_free_one(
    make_sim: Callable[..., Sim], serve: Serve, tmp_path: Path
) -> None:
    # enough requests that every kind is drawn even when a slow machine times out a plain
    # answer now and then (the draws follow each request's attempts): about 18 of each
    clean = make_sim(n_accounts=24, days=60)
    faulty = make_sim(FAULT_MIX, n_accounts=24, days=60)
    clean_config = await ingest_served(clean, serve, tmp_path / "clean")
    faulty_config = await ingest_served(faulty, serve, tmp_path / "faulty")
    injected = faulty.state.faults_injected
    assert set(injected) == {"5xx", "429", "err_no", "badjson", "html", "reset", "timeout", "slow"}
    for dataset in ("earn_history", "earn_history_walks", *SNAPSHOT_DATASETS):
        assert lake_rows(faulty_config, dataset) == lake_rows(clean_config, dataset), dataset
