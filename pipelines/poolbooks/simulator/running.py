"""A simulator served on a loopback port in a background thread, for tests and the demo."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette

from poolbooks.simulator.settings import SIM_DEFAULT_HOST
from poolbooks.simulator.state import SimulatorState

START_TIMEOUT = 10.0


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
    app: Starlette, host: str = SIM_DEFAULT_HOST, port: int = 0
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
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the simulator did not start")
        time.sleep(0.01)
    try:
        yield RunningSimulator(app, host, port)
    finally:
        server.should_exit = server.force_exit = True
        thread.join(timeout=START_TIMEOUT)
        sock.close()


def port_is_free(port: int, host: str = SIM_DEFAULT_HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True
