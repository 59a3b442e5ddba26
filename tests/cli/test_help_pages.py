"""Help pages and global options: `-h`, `--version`, `--debug` after a command, choices and
metavars instead of Python types, prose wrapped at word boundaries at 80 columns."""

from __future__ import annotations

import itertools
import logging
import re
from importlib.metadata import version
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from poolbooks.cli import app

COMMANDS = [
    (),
    ("accounts",),
    ("build",),
    ("compact",),
    ("demo",),
    ("ingest",),
    ("snapshot",),
    ("reconcile",),
    ("reparse",),
    ("report",),
    ("simulate",),
    ("export",),
    ("export", "tax"),
    ("export", "ledger"),
]
CONFIG = '[[accounts]]\nname = "main"\npuid = 1\naccess_key_env = "POOLBOOKS_TEST_KEY"\n'


def help_page(*command: str, option: str = "--help") -> str:
    result = CliRunner().invoke(app, [*command, option], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.output


def panel_rows(page: str, title: str) -> list[str]:
    """The inner text of each row of a help panel, borders stripped."""
    lines = page.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"╭─ {title} "))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("╰"))
    return [line[1:-1] for line in lines[start + 1 : end]]


def assert_wrapped_at_word_boundaries(lines: list[str]) -> None:
    """Each line of a paragraph ends only where its next word would not have fit: a break
    kept from the source would leave a short line whose successor's first word fits on it."""
    width = max(len(line) for line in lines)
    for line, following in itertools.pairwise(lines):
        next_word = following.split()[0]
        assert len(line) + 1 + len(next_word) > width, f"broken early: {line!r}"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "poolbooks")
def test_h_is_help(command: tuple[str, ...]) -> None:
    assert help_page(*command, option="-h") == help_page(*command)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "poolbooks")
def test_options_show_their_values_not_python_types(command: tuple[str, ...]) -> None:
    page = help_page(*command)
    for python_type in ("<bool>", "<list[str]>", "list[", "<str>"):
        if python_type == "<str>" and command == ("simulate",):
            continue  # --host: any address
        assert python_type not in page


def test_format_basis_year_and_account_show_what_they_take() -> None:
    rows = panel_rows(help_page("export", "tax"), "Options")
    text = " ".join(" ".join(rows).split())
    assert "--format FORMAT The tax tool the file is for: generic, koinly or cointracker." in text
    assert "--basis <receipt|accrual>" in text
    assert "--year YYYY" in text and "--account NAME" in text


def test_the_command_list_is_wrapped_at_word_boundaries() -> None:
    rows = panel_rows(help_page(), "Commands")
    column = rows[0].index(rows[0].split()[1])  # where the descriptions start
    paragraph: list[str] = []
    for row in [*rows, " x"]:  # a sentinel name ends the last paragraph
        if row[:column].strip() and paragraph:
            assert_wrapped_at_word_boundaries(paragraph)
            paragraph = []
        paragraph.append(row[column:].rstrip())


@pytest.mark.parametrize("command", COMMANDS[1:], ids=lambda c: " ".join(c))
def test_each_description_is_wrapped_at_word_boundaries(command: tuple[str, ...]) -> None:
    page = help_page(*command)
    text = page.split("╭─", 1)[0].split("\n")
    prose = [line.rstrip() for line in text if line.strip() and "Usage:" not in line]
    paragraphs: list[list[str]] = [[]]
    for line in [line for line in text if "Usage:" not in line]:
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        elif paragraphs[-1]:
            paragraphs.append([])
    assert prose
    for paragraph in paragraphs:
        if len(paragraph) > 1:
            assert_wrapped_at_word_boundaries(paragraph)


def test_version_prints_the_installed_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"poolbooks {version('poolbooks')}\n"


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_is_taken_before_or_after_the_command(tmp_path: Path, where: str) -> None:
    config = tmp_path / "poolbooks.toml"
    config.write_text(CONFIG)
    command = ["accounts", "--config", str(config)]
    args = ["--debug", *command] if where == "before" else [*command, "--debug"]
    result = CliRunner().invoke(app, args, env={"POOLBOOKS_TEST_KEY": "k"})
    assert result.exit_code == 0, result.output
    assert logging.getLogger().level == logging.DEBUG
    result = CliRunner().invoke(app, command, env={"POOLBOOKS_TEST_KEY": "k"})
    assert logging.getLogger().level == logging.WARNING  # not carried to the next run


def test_debug_after_the_command_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from poolbooks.cli import accounts

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(accounts, "config_from", broken)
    quiet = CliRunner().invoke(app, ["accounts"])
    loud = CliRunner().invoke(app, ["accounts", "--debug"])
    assert quiet.exit_code == loud.exit_code == 1
    assert "Traceback" not in quiet.stderr and "Traceback" in loud.stderr
    assert "RuntimeError: disk on fire" in quiet.stderr


@pytest.mark.parametrize("year", ["abc", "-5", "25", "20255"])
def test_a_year_that_is_not_one_is_a_usage_error(tmp_path: Path, year: str) -> None:
    out = tmp_path / "out.csv"
    args = ["export", "tax", "--format", "koinly", "--year", year, "--output", str(out)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert re.search(rf"'{re.escape(year)}' is not a year", result.output)
    assert "valid integer" not in result.output and not out.exists()


def test_an_unknown_format_names_the_choices(tmp_path: Path) -> None:
    args = ["export", "tax", "--format", "koinl", "--year", "2025", "--output", "x.csv"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "'koinl' is not one of 'generic', 'koinly', 'cointracker'" in result.output


def test_typer_is_the_projects_own() -> None:
    """The classes that make the help above: every command and group of the tree uses them."""
    from poolbooks.cli.help_pages import Command, Group

    root = typer.main.get_command(app)
    assert isinstance(root, Group)
    commands = getattr(root, "commands", {})
    export = commands["export"]
    assert isinstance(export, Group)
    leaves = [c for n, c in commands.items() if n != "export"] + list(export.commands.values())
    assert all(isinstance(c, Command) for c in leaves)


def test_ctrl_c_in_any_command_says_interrupted_and_exits_130(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from poolbooks.cli import accounts

    def pressed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(accounts, "config_from", pressed)
    result = CliRunner().invoke(app, ["accounts"])
    assert result.exit_code == 130
    assert result.stderr == "interrupted\n"
