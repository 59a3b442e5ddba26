"""The simulator served by uvicorn on a loopback port, as tests and the demo run it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from poolbooks.demo_config import config_accounts
from poolbooks.http.settings import ClientSettings
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.errors import TransportError
from poolbooks.simulator.running import running_simulator
from tests.conftest import Sim

pytestmark = pytest.mark.anyio


def test_simulator_is_a_real_server_on_loopback(sim: Sim) -> None:
    account = sim.pool.accounts[0]
    with running_simulator(sim.app) as running:
        params: dict[str, int | str] = {"puid": account.puid, "access_key": account.access_key}
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
    sim = make_sim("reset=1")
    with running_simulator(sim.app) as running:
        (account, *_) = config_accounts(sim.pool, running.base_url)
        async with PoolClient(ClientSettings(max_attempts=2), backoff_base=0.001) as client:
            with pytest.raises(TransportError, match="gave up after 2 attempts"):
                await client.earn_stats(account)
