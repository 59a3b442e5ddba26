"""Shared fixtures: a simulated pool, its app, and clients that reach it in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import tzinfo
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from poolbooks.demo_config import config_accounts
from poolbooks.http.settings import ClientSettings
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.client import PoolClient
from poolbooks.simulator.faults import Faults, parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.server import create_app
from poolbooks.simulator.state import SimulatorState

SIM_BASE_URL = "http://simulator.test"
FAST_SETTINGS = ClientSettings(
    requests_per_second=10_000, concurrency=16, timeout_seconds=5, max_attempts=6
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Sim:
    """A simulated pool, its Starlette app, and accounts configured against it."""

    def __init__(self, pool: SimulatedPool, faults: Faults | None = None) -> None:
        self.pool = pool
        self.app: Starlette = create_app(pool, faults)
        self.accounts: list[Account] = config_accounts(pool, SIM_BASE_URL)

    @property
    def state(self) -> SimulatorState:
        state: SimulatorState = self.app.state.sim
        return state

    def set_faults(self, spec: str) -> None:
        self.state.faults = parse_faults(spec)

    def transport(self) -> httpx.AsyncBaseTransport:
        return httpx.ASGITransport(app=self.app)

    def client(
        self,
        settings: ClientSettings = FAST_SETTINGS,
        timezone: tzinfo | None = None,
        **kwargs: Any,
    ) -> PoolClient:
        kwargs.setdefault("backoff_base", 0.001)
        kwargs.setdefault("clock", lambda: self.pool.now)  # fetched in simulated time
        kwargs.setdefault("backoff_cap", 0.01)
        return PoolClient(
            settings,
            timezone=timezone or self.pool.zone,
            transport=self.transport(),
            **kwargs,
        )


@pytest.fixture
def make_sim() -> Callable[..., Sim]:
    def make(faults: str = "", **pool_args: Any) -> Sim:
        pool_args.setdefault("days", 120)
        return Sim(SimulatedPool(**pool_args), parse_faults(faults))

    return make


@pytest.fixture
def sim(make_sim: Callable[..., Sim]) -> Sim:
    return make_sim()


@pytest.fixture
async def sim_client(sim: Sim) -> AsyncIterator[PoolClient]:
    async with sim.client() as client:
        yield client
