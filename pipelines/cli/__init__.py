"""The `poolbooks` command line (typer): one module per command, errors as one line."""

from __future__ import annotations

from pipelines.cli import accounts, compact, demo, ingest, simulate  # noqa: F401  (registration)
from pipelines.cli.app import app, main

__all__ = ["app", "main"]
