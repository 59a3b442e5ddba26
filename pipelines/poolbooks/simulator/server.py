"""The simulator as an ASGI app: the pool's API and Esplora behind faults, and admin routes."""

from __future__ import annotations

import socket

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from poolbooks.simulator.admin import admin_routes
from poolbooks.simulator.clock import WallClock
from poolbooks.simulator.endpoints import API_ROUTES, Handler
from poolbooks.simulator.faults import Faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.settings import SIM_DEFAULT_HOST, SIM_DEFAULT_PORT
from poolbooks.simulator.state import SimulatorState
from poolbooks.simulator.wire_faults import serve_with_faults


def _route(path: str, endpoint: str, handler: Handler, state: SimulatorState) -> Route:
    async def serve(request: Request) -> Response:
        return await serve_with_faults(request, state, endpoint, handler)

    return Route(path, serve, methods=["GET"], name=endpoint)


def create_app(
    pool: SimulatedPool, faults: Faults | None = None, wall_clock: WallClock | None = None
) -> Starlette:
    """The simulator as a Starlette app; `app.state.sim` holds its SimulatorState. With a
    `wall_clock` (`clock.wall_time` for the real one) the pool's clock follows it."""
    state = SimulatorState(pool=pool, faults=faults or Faults(), wall_clock=wall_clock)
    routes = [_route(path, name, handler, state) for path, (name, handler) in API_ROUTES.items()]
    app = Starlette(routes=routes + admin_routes(state))
    app.state.sim = state
    return app


def listen(host: str = SIM_DEFAULT_HOST, port: int = SIM_DEFAULT_PORT) -> socket.socket:
    """The listening socket to serve on; OSError (address in use) before anything is said."""
    return socket.create_server((host, port))


def serve(app: Starlette, listener: socket.socket) -> None:
    """Serve the simulator with uvicorn on `listener` until interrupted."""
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[listener])
