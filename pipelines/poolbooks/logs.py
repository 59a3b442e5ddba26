"""Logging for the command line: quiet by default, redacted always, one format for machines."""

from __future__ import annotations

import logging
import sys

from poolbooks.redaction import RedactingFilter, install_log_redaction

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HANDLER_NAME = "poolbooks"


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time of the record, never a stale one."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def configure_logging(debug: bool = False) -> None:
    """Send logs to stderr (WARNING, or DEBUG with --debug) with secrets redacted."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)  # a second call (tests) must not write to a closed stream
    handler = _CurrentStderr()
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    install_log_redaction()
