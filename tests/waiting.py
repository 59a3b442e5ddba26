"""Waiting for a server started by a test to answer, with tenacity."""

from __future__ import annotations

from collections.abc import Callable

import tenacity


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
