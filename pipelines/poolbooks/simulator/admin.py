"""The `/_sim/*` routes: counts, the clock, the faults, the accounts, warming the caches."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.state import SimulatorState


def admin_routes(state: SimulatorState) -> list[Route]:
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
