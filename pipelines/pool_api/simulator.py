"""The simulated pool as a real HTTP server: the seven API endpoints, Esplora, faults, limits."""

from __future__ import annotations

import asyncio
import math
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from pipelines.pool_api.accounts import Account
from pipelines.pool_api.faults import Faults, parse_faults
from pipelines.pool_api.hosts import DEFAULT_REGION
from pipelines.pool_api.simulated_chain import unit_hash
from pipelines.pool_api.simulated_pool import SimAccount, SimulatedPool
from pipelines.redaction import Secret

AUTH_ERR_NO = 20001
BUSY_ERR_NO = 10001
BAD_PARAM_ERR_NO = 10002
MAX_PAGE_SIZE = 50
# In wall-clock mode the pool's clock moves to the wall time when a request finds it this far
# behind: often enough for the 10-minute live figures, seldom enough to keep what it computed.
WALL_CLOCK_STEP = timedelta(minutes=1)
HTML_ERROR_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

Handler = Callable[[Request, "SimulatorState"], Awaitable[Response]]
WallClock = Callable[[], datetime]


def wall_time() -> datetime:
    return datetime.now(UTC)


@dataclass
class SimulatorState:
    """The pool, its faults, and what it has seen: counts, requests in flight, the rate bucket.
    With a `wall_clock` the pool's clock follows it (see `follow_wall_clock`)."""

    pool: SimulatedPool
    faults: Faults = field(default_factory=Faults)
    wall_clock: WallClock | None = None
    requests: int = 0
    by_endpoint: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    faults_injected: dict[str, int] = field(default_factory=dict)
    rate_limited: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    seen: dict[str, int] = field(default_factory=dict)
    drift_done: set[int] = field(default_factory=set)
    _tokens: float = 0.0
    _refilled: float = 0.0

    def follow_wall_clock(self) -> None:
        """Move the pool's clock to the wall time once it is a minute or more behind; it never
        goes back, so a clock moved ahead through /_sim/clock waits for the wall there."""
        if self.wall_clock is None:
            return
        wall = self.wall_clock()
        if wall - self.pool.now >= WALL_CLOCK_STEP:
            self.pool.set_now(wall)

    def take_token(self) -> float:
        """0 when a request may pass the rate limit, else seconds until it could."""
        rate = self.faults.rate
        if rate <= 0:
            return 0.0
        now = time.monotonic()
        if self._refilled == 0.0:
            self._tokens, self._refilled = rate, now
        self._tokens = min(rate, self._tokens + (now - self._refilled) * rate)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / rate

    def count_status(self, status: int) -> None:
        self.by_status[str(status)] = self.by_status.get(str(status), 0) + 1

    def note_fault(self, fault: str | None) -> None:
        """Counted when drawn: a client may hang up before a stalled answer is finished."""
        if fault is not None:
            self.faults_injected[fault] = self.faults_injected.get(fault, 0) + 1

    def snapshot(self) -> dict[str, Any]:
        return {
            "now": self.pool.now.isoformat(),
            "requests": self.requests,
            "by_endpoint": dict(self.by_endpoint),
            "by_status": dict(self.by_status),
            "faults_injected": dict(self.faults_injected),
            "rate_limited": self.rate_limited,
            "in_flight": self.in_flight,
            "max_in_flight": self.max_in_flight,
        }

    def reset_counts(self) -> None:
        self.requests = self.rate_limited = self.max_in_flight = 0
        self.by_endpoint.clear()
        self.by_status.clear()
        self.faults_injected.clear()


def envelope(data: Any, err_no: int = 0, err_msg: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"err_no": err_no, "data": data}
    if err_no:
        body["err_msg"] = err_msg
    return body


def _request_key(request: Request) -> str:
    query = sorted((k, v) for k, v in request.query_params.multi_items() if k != "access_key")
    return request.url.path + "?" + "&".join(f"{k}={v}" for k, v in query)


class _ResetResponse(Response):
    """Starts a response, sends half of it, then drops the connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(self.body)).encode()),
                ],
            }
        )
        await send(
            {
                "type": "http.response.body",
                "body": self.body[: len(self.body) // 2],
                "more_body": True,
            }
        )
        raise ConnectionResetError("simulated connection reset")


def _authenticate(request: Request, state: SimulatorState) -> SimAccount | None:
    try:
        puid = int(request.query_params.get("puid", ""))
    except ValueError:
        return None
    account = state.pool.account(puid)
    if account is None or request.query_params.get("access_key") != account.access_key:
        return None
    return account


def _account_endpoint(build: Callable[[SimulatedPool, SimAccount], Any]) -> Handler:
    """An account endpoint answered by the pool's method of that name (looked up on the pool
    itself, so that a test may give one pool other answers)."""
    name = build.__name__

    async def handler(request: Request, state: SimulatorState) -> Response:
        account = _authenticate(request, state)
        if account is None:
            return JSONResponse(envelope(None, AUTH_ERR_NO, "permissions denied"))
        return JSONResponse(envelope(getattr(state.pool, name)(account)))

    return handler


async def _earn_history(request: Request, state: SimulatorState) -> Response:
    account = _authenticate(request, state)
    if account is None:
        return JSONResponse(envelope(None, AUTH_ERR_NO, "permissions denied"))
    try:
        page = int(request.query_params.get("page", "1"))
        page_size = int(request.query_params.get("page_size", str(MAX_PAGE_SIZE)))
    except ValueError:
        return JSONResponse(envelope(None, BAD_PARAM_ERR_NO, "invalid page or page_size"))
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        return JSONResponse(envelope(None, BAD_PARAM_ERR_NO, "page_size must be 1..50"))
    rows = state.pool.earn_history_rows(account)
    if state.faults.drift and account.puid not in state.drift_done:
        state.drift_done.add(account.puid)  # rows that appear right after this page is served
        days = sorted({int(r["date"]) for r in rows})
        hidden = set(days[-state.faults.drift :])
        rows = [r for r in rows if int(r["date"]) not in hidden]
    total = len(rows)
    start = (page - 1) * page_size
    data = {
        "page": str(page),
        "page_size": str(page_size),
        "page_count": math.ceil(total / page_size),
        "total_count": total,
        "list": rows[start : start + page_size],
    }
    return JSONResponse(envelope(data))


async def _pool_stats(request: Request, state: SimulatorState) -> Response:
    return JSONResponse(envelope(state.pool.pool_stats(merge=False)))


async def _pool_stats_merge(request: Request, state: SimulatorState) -> Response:
    return JSONResponse(envelope(state.pool.pool_stats(merge=True)))


async def _esplora_tx(request: Request, state: SimulatorState) -> Response:
    tx = state.pool.transaction(request.path_params["txid"])
    if tx is None:
        return PlainTextResponse("Transaction not found", status_code=404)
    return JSONResponse(tx)


API_ROUTES: dict[str, tuple[str, Handler]] = {
    "/v1/account/info": ("account-info", _account_endpoint(SimulatedPool.account_info)),
    "/v1/account/earn-stats": ("earn-stats", _account_endpoint(SimulatedPool.earn_stats)),
    "/v1/account/earn-history": ("earn-history", _earn_history),
    "/v1/realtime/hashrate": ("hashrate", _account_endpoint(SimulatedPool.hashrate)),
    "/v1/worker/stats": ("worker-stats", _account_endpoint(SimulatedPool.worker_stats)),
    "/public/v1/pool/stats": ("pool-stats", _pool_stats),
    "/public/v1/pool/stats/merge": ("pool-stats-merge", _pool_stats_merge),
    "/esplora/tx/{txid}": ("esplora-tx", _esplora_tx),
}


async def _faulty(
    request: Request, state: SimulatorState, endpoint: str, handler: Handler
) -> Response:
    """Serve one API request through the rate limit and the drawn fault, counting everything."""
    state.follow_wall_clock()
    state.requests += 1
    state.by_endpoint[endpoint] = state.by_endpoint.get(endpoint, 0) + 1
    state.in_flight += 1
    state.max_in_flight = max(state.max_in_flight, state.in_flight)
    try:
        wait = state.take_token()
        if wait > 0:
            state.rate_limited += 1
            state.count_status(429)
            headers = {"Retry-After": str(max(1, math.ceil(wait)))}
            return JSONResponse(envelope(None, 429, "too many requests"), 429, headers)
        faults = state.faults
        key = _request_key(request)
        attempt = state.seen.get(key, 0) + 1
        state.seen[key] = attempt
        fault = faults.draw(state.pool.seed, key, attempt)
        if fault == "err_no" and endpoint == "esplora-tx":
            fault = None  # Esplora has no err_no envelope; its faults are HTTP-level only
        state.note_fault(fault)
        if faults.latency:
            await asyncio.sleep(faults.latency)
        response = await _inject(fault, request, state, handler)
        state.count_status(response.status_code)
        return response
    finally:
        state.in_flight -= 1


async def _inject(
    fault: str | None, request: Request, state: SimulatorState, handler: Handler
) -> Response:
    faults = state.faults
    if fault == "5xx":
        status = (500, 502, 503, 504)[int(unit_hash(_request_key(request), "status") * 4)]
        return PlainTextResponse("upstream error", status_code=status)
    if fault == "429":
        if unit_hash(_request_key(request), state.seen.get(_request_key(request))) < 0.5:
            after = str(math.ceil(faults.retry_after))
        else:
            when = datetime.now(UTC) + timedelta(seconds=math.ceil(faults.retry_after))
            after = format_datetime(when, usegmt=True)
        return JSONResponse(envelope(None, 429, "slow down"), 429, {"Retry-After": after})
    if fault == "err_no":
        return JSONResponse(envelope(None, BUSY_ERR_NO, "system busy, please retry"))
    if fault == "html":
        return Response(HTML_ERROR_PAGE, media_type="text/html")
    if fault == "timeout":
        await asyncio.sleep(faults.hang)
    response = await handler(request, state)
    if fault == "badjson":
        return Response(response.body[: len(response.body) // 2], media_type="application/json")
    if fault == "reset":
        return _ResetResponse(bytes(response.body))
    if fault == "slow":
        return StreamingResponse(_trickle(bytes(response.body), faults.hang), 200)
    return response


async def _trickle(body: bytes, seconds: float) -> Any:
    for i in range(0, len(body), 16):
        yield body[i : i + 16]
        await asyncio.sleep(seconds / max(1, len(body) / 16))


def _route(path: str, endpoint: str, handler: Handler, state: SimulatorState) -> Route:
    async def serve(request: Request) -> Response:
        return await _faulty(request, state, endpoint, handler)

    return Route(path, serve, methods=["GET"], name=endpoint)


def _admin_routes(state: SimulatorState) -> list[Route]:
    async def stats(request: Request) -> Response:
        state.follow_wall_clock()
        return JSONResponse(state.snapshot())

    async def reset_stats(request: Request) -> Response:
        state.reset_counts()
        return JSONResponse(state.snapshot())

    async def clock(request: Request) -> Response:
        state.follow_wall_clock()
        if request.method == "POST":
            body = await request.json()
            if "now" in body:
                state.pool.set_now(datetime.fromisoformat(body["now"]))
            state.pool.advance(
                days=float(body.get("advance_days", 0)),
                seconds=float(body.get("advance_seconds", 0)),
            )
        return JSONResponse(
            {
                "now": state.pool.now.isoformat(),
                "today": str(state.pool.today),
                "clock": "fixed" if state.wall_clock is None else "wall",
            }
        )

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            state.faults = parse_faults((await request.json()).get("spec", ""))
        return JSONResponse({k: v for k, v in vars(state.faults).items() if not k.startswith("_")})

    async def warm(request: Request) -> Response:
        """Compute every account's history now, so that timing runs do not pay for it."""
        for account in state.pool.accounts:
            state.pool.earn_history_rows(account)
        state.pool.payouts()
        return JSONResponse({"accounts": len(state.pool.accounts)})

    async def accounts(request: Request) -> Response:
        return JSONResponse(
            [
                {
                    "name": a.name,
                    "puid": a.puid,
                    "access_key": a.access_key,
                    "coin": a.coin,
                    "payment_mode": a.payment_mode,
                    "order": a.order,
                    "address": a.address,
                }
                for a in state.pool.accounts
            ]
        )

    return [
        Route("/_sim/stats", stats, methods=["GET"]),
        Route("/_sim/stats/reset", reset_stats, methods=["POST"]),
        Route("/_sim/clock", clock, methods=["GET", "POST"]),
        Route("/_sim/faults", faults, methods=["GET", "POST"]),
        Route("/_sim/accounts", accounts, methods=["GET"]),
        Route("/_sim/warm", warm, methods=["POST"]),
    ]


def create_app(
    pool: SimulatedPool, faults: Faults | None = None, wall_clock: WallClock | None = None
) -> Starlette:
    """The simulator as a Starlette app; `app.state.sim` holds its SimulatorState. With a
    `wall_clock` (`wall_time` for the real one) the pool's clock follows it."""
    state = SimulatorState(pool=pool, faults=faults or Faults(), wall_clock=wall_clock)
    routes = [_route(path, name, handler, state) for path, (name, handler) in API_ROUTES.items()]
    app = Starlette(routes=routes + _admin_routes(state))
    app.state.sim = state
    return app


def serve(app: Starlette, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the simulator with uvicorn until interrupted."""
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


@dataclass
class RunningSimulator:
    """A simulator served by uvicorn on a loopback port in a background thread."""

    app: Starlette
    host: str
    port: int

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def state(self) -> SimulatorState:
        state: SimulatorState = self.app.state.sim
        return state


@contextmanager
def running_simulator(
    app: Starlette, host: str = "127.0.0.1", port: int = 0
) -> Iterator[RunningSimulator]:
    """Serve with uvicorn on `port` (0: a free one) for the duration of a `with` block."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="error", access_log=False, lifespan="off", timeout_keep_alive=30
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the simulator did not start")
        time.sleep(0.01)
    try:
        yield RunningSimulator(app, host, port)
    finally:
        server.should_exit = server.force_exit = True
        thread.join(timeout=10)
        sock.close()


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def config_accounts(pool: SimulatedPool, base_url: str) -> list[Account]:
    """Config accounts that talk to this simulator (keys held as Secrets, never written)."""
    return [
        Account(
            name=a.name,
            puid=a.puid,
            coin=a.coin,
            region=DEFAULT_REGION[a.coin],
            access_key=Secret(a.access_key),
            access_key_env=f"POOLBOOKS_KEY_{a.name.upper()}",
            base_url=base_url,
        )
        for a in pool.accounts
    ]


def config_tables(pool: SimulatedPool, base_url: str) -> tuple[list[str], dict[str, str]]:
    """The `[[accounts]]` tables of a poolbooks.toml for this simulator's accounts, and the
    environment holding their keys (the file only names the variables)."""
    lines: list[str] = []
    environ: dict[str, str] = {}
    for account in config_accounts(pool, base_url):
        lines += [
            "[[accounts]]",
            f'name = "{account.name}"',
            f"puid = {account.puid}",
            f'access_key_env = "{account.access_key_env}"',
            f'coin = "{account.coin}"',
            f'base_url = "{account.base_url}"',
            "",
        ]
        environ[account.access_key_env] = account.access_key.reveal()
    return lines, environ
