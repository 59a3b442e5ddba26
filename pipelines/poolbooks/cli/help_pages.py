"""How the command line's help reads: `-h` beside `--help`, flags without a type, prose wrapped
at word boundaries (docstrings are Markdown, so their line breaks are not kept)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

HELP_OPTION_NAMES = ["-h", "--help"]
F = TypeVar("F", bound=Callable[..., Any])


def _flags_without_type(command: TyperCommand | TyperGroup, ctx: typer.Context) -> None:
    """A flag takes no value, so its row names none (typer would show `<bool>`)."""
    for param in command.get_params(ctx):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""


class Command(TyperCommand):
    """A command whose help shows its flags without a type."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _flags_without_type(self, ctx)
        super().format_help(ctx, formatter)


class Group(TyperGroup):
    """A group whose help shows its flags without a type."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _flags_without_type(self, ctx)
        super().format_help(ctx, formatter)


class Typer(typer.Typer):
    """`typer.Typer` with this command line's help: its groups and commands are the classes
    above, `-h` is `--help`, and help text is Markdown."""

    def __init__(self, **settings: Any) -> None:
        settings.setdefault("cls", Group)
        settings.setdefault("context_settings", {"help_option_names": HELP_OPTION_NAMES})
        settings.setdefault("rich_markup_mode", "markdown")
        super().__init__(**settings)

    def command(self, name: str | None = None, **settings: Any) -> Callable[[F], F]:
        settings.setdefault("cls", Command)
        return super().command(name, **settings)
