"""The `poolbooks` command line (typer): one module per command, errors as one line."""

from __future__ import annotations

from pipelines.cli.app import app, main

__all__ = ["app", "main"]
