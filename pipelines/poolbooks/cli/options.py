"""Options shared by several commands, and loading the config they point at."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from poolbooks.cli.app import out_console
from poolbooks.config import Config, load_config

CONFIG_OPTION = typer.Option(
    None,
    "--config",
    help="Path to poolbooks.toml (default: $POOLBOOKS_CONFIG, then ./poolbooks.toml).",
    dir_okay=False,
)

ACCOUNT_OPTION = typer.Option(
    None,
    "--account",
    metavar="NAME",
    help="Only this account (repeat for more); default: all.",
)


def config_from(path: Path | None, require_keys: bool = True) -> Config:
    """The one place the command line reads the environment; commands that never talk to the
    pool (build, compact, reconcile, export, report) do not need the keys."""
    return load_config(path, os.environ, require_keys=require_keys)


def new_folder(output: Path) -> Path | None:
    """The folder an --output file goes into, when it does not exist yet: writing the file
    creates it, and the command says so (`say_created`)."""
    return None if output.parent.exists() else output.parent


def say_created(folder: Path | None) -> None:
    if folder is not None and folder.is_dir():
        out_console().print(f"created the folder {folder} for --output", markup=False)
