"""The canary sweep: a key driven through every failure path appears in no log or error."""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Iterator
from dataclasses import replace

import pytest

from harness.loopback import free_port
from poolbooks.demo_config import config_accounts
from poolbooks.http.settings import ClientSettings
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.errors import (
    ApiError,
    AuthError,
    BadResponse,
    PoolApiError,
    RateLimited,
    ServerError,
    TransportError,
)
from poolbooks.redaction import Secret, secret_forms
from poolbooks.simulator.accounts import SIM_FIRST_PUID
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import RunningSimulator, running_simulator
from poolbooks.simulator.server import create_app

pytestmark = pytest.mark.anyio
CANARY = "canary+K3y/with=chars&more"
WRONG_CANARY = "wrong-canary+K3y/=="
FORMS = sorted(secret_forms(CANARY) | secret_forms(WRONG_CANARY))


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Everything logged anywhere at DEBUG, through a handler with no filter of its own."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@pytest.fixture
def canary_sim() -> Iterator[RunningSimulator]:
    pool = SimulatedPool(days=60, keys={SIM_FIRST_PUID: CANARY})
    with running_simulator(create_app(pool)) as running:
        yield running


def error_texts(error: BaseException) -> list[str]:
    return [str(error), repr(error), "".join(traceback.format_exception(error))]


CASES = [
    ("auth", "", AuthError),
    ("429", "429=1,retry_after=0", RateLimited),
    ("5xx", "5xx=1", ServerError),
    ("timeout", "timeout=1,hang=1", TransportError),
    ("slow-body", "slow=1,hang=1", TransportError),
    ("bad-json", "badjson=1", BadResponse),
    ("html", "html=1", BadResponse),
    ("err_no", "err_no=1", ApiError),
    ("reset", "reset=1", TransportError),
    ("refused", "", TransportError),
]


@pytest.mark.parametrize(("case", "spec", "kind"), CASES, ids=[c[0] for c in CASES])
async def test_canary_key_is_nowhere_on_any_failure_path(
    canary_sim: RunningSimulator,
    debug_log: io.StringIO,
    case: str,
    spec: str,
    kind: type[PoolApiError],
) -> None:
    canary_sim.state.faults = parse_faults(spec)
    account = config_accounts(canary_sim.state.pool, canary_sim.base_url)[0]
    account = replace(account, access_key=Secret(CANARY))
    if case == "auth":
        account = replace(account, access_key=Secret(WRONG_CANARY))
    if case == "refused":
        account = replace(account, base_url=f"http://127.0.0.1:{free_port()}")
    settings = ClientSettings(timeout_seconds=0.3, max_attempts=2)
    texts: list[str] = []
    async with PoolClient(settings, backoff_base=0.001) as client:
        texts.append(repr(client))
        for call in (client.earn_stats, client.account_info):
            with pytest.raises(kind) as info:
                await call(account)
            texts += error_texts(info.value)
        with pytest.raises(kind) as info:
            await client.earn_history_page(account, 2, 50)
        texts += error_texts(info.value)
    logged = debug_log.getvalue()
    assert "HTTP Request" in logged or case in ("refused", "reset", "timeout", "slow-body")
    for text in [*texts, logged]:
        for form in FORMS:
            assert form not in text
    if case != "refused":
        assert canary_sim.state.requests > 0


async def test_canary_key_is_accepted_by_the_pool_and_still_nowhere_in_logs(
    canary_sim: RunningSimulator, debug_log: io.StringIO
) -> None:
    account = replace(
        config_accounts(canary_sim.state.pool, canary_sim.base_url)[0],
        access_key=Secret(CANARY),
    )
    async with PoolClient() as client:
        page = await client.earn_history_page(account, 1, 50)
        assert page.rows
        texts = [repr(client), repr(account), str(account), repr(page.rows[0])]
    logged = debug_log.getvalue()
    assert "HTTP Request: GET" in logged  # httpx logs every URL at INFO; the key is not in it
    for text in [*texts, logged]:
        for form in FORMS:
            assert form not in text
