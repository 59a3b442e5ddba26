"""The `poolbooks` command line (typer): one module per command, errors as one line."""

from __future__ import annotations

from poolbooks.cli import (  # noqa: F401  (each module registers its command)
    accounts,
    build,
    compact,
    demo,
    export,
    ingest,
    prices,
    reconcile,
    reparse,
    report,
    simulate,
)
from poolbooks.cli.app import app, main

__all__ = ["app", "main"]
