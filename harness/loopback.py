"""A free port on loopback, and waiting until a server started there answers."""

from __future__ import annotations

import socket
from collections.abc import Callable

import tenacity


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, as the OS picks one."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def until_ready(
    check: Callable[[], object],
    what: str,
    errors: tuple[type[BaseException], ...],
    timeout: float = 30,
) -> None:
    """Call `check` until it stops raising one of `errors`; after `timeout` seconds, fail."""
    try:
        for attempt in tenacity.Retrying(
            stop=tenacity.stop_after_delay(timeout),
            wait=tenacity.wait_fixed(0.05),
            retry=tenacity.retry_if_exception_type(errors),
        ):
            with attempt:
                check()
    except tenacity.RetryError:
        raise AssertionError(f"{what} did not start within {timeout:g} s") from None
