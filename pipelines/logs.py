"""Logging for the command line: quiet by default, redacted always, one format for machines."""

from __future__ import annotations

import logging
import sys

import httpx  # noqa: F401  (creates the httpx and httpcore loggers the filter must reach)

from pipelines.redaction import RedactingFilter, install_log_redaction

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(debug: bool = False) -> None:
    """Send logs to stderr (WARNING, or DEBUG with --debug) with secrets redacted."""
    root = logging.getLogger()
    if not any(isinstance(f, RedactingFilter) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    install_log_redaction()
