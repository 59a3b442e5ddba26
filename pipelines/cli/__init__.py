"""The `poolbooks` command line (typer): one module per command, errors as one line."""

from __future__ import annotations

from pipelines.cli import accounts, demo, simulate  # noqa: F401  (each registers its command)
from pipelines.cli.app import app, main

__all__ = ["app", "main"]
