"""The pool's API endpoints, Esplora's `/tx` and Coinbase's candles, answered from the simulated
pool and market."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from poolbooks.simulator.accounts import SimAccount
from poolbooks.simulator.candles import candles
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.state import SimulatorState

# The pool's own error numbers and page limit, as it answers them.
AUTH_ERR_NO = 20001
BUSY_ERR_NO = 10001
BAD_PARAM_ERR_NO = 10002
MAX_PAGE_SIZE = 50

Handler = Callable[[Request, SimulatorState], Awaitable[Response]]


def envelope(data: Any, err_no: int = 0, err_msg: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"err_no": err_no, "data": data}
    if err_no:
        body["err_msg"] = err_msg
    return body


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
    "/products/{product}/candles": ("candles", candles),
}
# Endpoints of other APIs than the pool's: no `err_no` envelope, their own error bodies.
NOT_THE_POOLS = frozenset({"esplora-tx", "candles"})
