"""Faults on the wire: each API request through the rate limit and the fault drawn for it."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from poolbooks.simulator.draws import unit_hash
from poolbooks.simulator.endpoints import BUSY_ERR_NO, NOT_THE_POOLS, Handler, envelope
from poolbooks.simulator.state import SimulatorState

HTML_ERROR_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def request_key(request: Request) -> str:
    """The request without its key: what the fault draws count attempts of."""
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


async def serve_with_faults(
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
            return JSONResponse(_refusal(endpoint, "too many requests"), 429, headers)
        faults = state.faults
        key = request_key(request)
        attempt = state.seen.get(key, 0) + 1
        state.seen[key] = attempt
        fault = faults.draw(state.pool.seed, key, attempt)
        if fault == "err_no" and endpoint in NOT_THE_POOLS:
            fault = None  # Esplora and Coinbase have no err_no envelope: HTTP-level faults only
        state.note_fault(fault)
        if faults.latency:
            await asyncio.sleep(faults.latency)
        response = await _inject(fault, request, state, endpoint, handler)
        state.count_status(response.status_code)
        return response
    finally:
        state.in_flight -= 1


def _refusal(endpoint: str, text: str) -> dict[str, object]:
    """A 429's body: Coinbase's `{"message": ...}` for its candles, the pool's envelope else."""
    return {"message": text.capitalize()} if endpoint == "candles" else envelope(None, 429, text)


async def _inject(
    fault: str | None, request: Request, state: SimulatorState, endpoint: str, handler: Handler
) -> Response:
    faults = state.faults
    if fault == "5xx":
        status = (500, 502, 503, 504)[int(unit_hash(request_key(request), "status") * 4)]
        return PlainTextResponse("upstream error", status_code=status)
    if fault == "429":
        if unit_hash(request_key(request), state.seen.get(request_key(request))) < 0.5:
            after = str(math.ceil(faults.retry_after))
        else:
            when = datetime.now(UTC) + timedelta(seconds=math.ceil(faults.retry_after))
            after = format_datetime(when, usegmt=True)
        return JSONResponse(_refusal(endpoint, "slow down"), 429, {"Retry-After": after})
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


async def _trickle(body: bytes, seconds: float) -> AsyncIterator[bytes]:
    for i in range(0, len(body), 16):
        yield body[i : i + 16]
        await asyncio.sleep(seconds / max(1, len(body) / 16))
