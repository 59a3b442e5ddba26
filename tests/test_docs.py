"""The documentation a user clones is whole: every link resolves inside the repository, nothing
points at files the repository does not hold, and the reference in `docs/` names every command,
option, config key, endpoint and host the code has."""

from __future__ import annotations

import re
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest
import typer

from poolbooks.cli import app
from poolbooks.config.accounts import ACCOUNT_SETTINGS
from poolbooks.config.model import Config
from poolbooks.config.tables import keys_of
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.endpoints import ENDPOINTS
from poolbooks.pool_api.hosts import HOSTS
from poolbooks.warehouse.settings import DEFAULT_DUCKDB_MEMORY_LIMIT, DEFAULT_DUCKDB_THREADS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SKIP_DIRS = {".git", ".venv", "node_modules", "demo", "data", "build", "dist"}
TEXT_SUFFIXES = {".md", ".py", ".sql", ".toml", ".yaml", ".yml", ".ipynb", ".html", ".j2", ""}
# `[text](target)` outside code spans; images too
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
OUTSIDE = ("../" + "shared", "CONTR" + "ACT")  # spelled apart so this file does not match
# "issue 9" is ours; "btccom/BTCPoolAPIDocs issue #4" is a public source and stays
ISSUE_NUMBER = re.compile(r"\b[Ii]ssues? \d+\b")


def _files(suffixes: set[str]) -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP_DIRS or any(p.endswith(".egg-info") or p.startswith(".") for p in parts):
            continue
        if path.is_file() and (path.suffix in suffixes or path.name == "Makefile"):
            found.append(path)
    return sorted(found)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {
        _slug(line.lstrip("#"))
        for line in path.read_text().splitlines()
        if line.startswith("#") and not line.startswith("#!")
    }


def _links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)  # not inside code blocks
    text = re.sub(r"`[^`\n]*`", "", text)
    return LINK.findall(text)


MARKDOWN = _files({".md"})


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_in_a_markdown_file_resolves_inside_the_repository(path: Path) -> None:
    broken = []
    for target in _links(path):
        if re.match(r"^[a-z]+:", target):  # https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.is_relative_to(ROOT):
            broken.append(f"{target} (outside the repository)")
        elif not resolved.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{target} (no heading #{anchor})")
    assert broken == []


def test_nothing_refers_to_files_the_repository_does_not_hold() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _files(TEXT_SUFFIXES)
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if any(word in line for word in OUTSIDE)
    ]
    assert offenders == []


def test_docs_and_build_files_carry_no_internal_issue_numbers() -> None:
    paths = [*_files({".md"}), ROOT / "Makefile", ROOT / "pyproject.toml"]
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in paths
        for match in ISSUE_NUMBER.finditer(path.read_text())
    ]
    assert offenders == []


def test_the_readme_links_the_reference() -> None:
    readme = (ROOT / "README.md").read_text()
    for page in sorted(DOCS.glob("*.md")):
        assert f"docs/{page.name}" in readme or page.name == "README.md", page.name
    assert "docs/README.md" in readme


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every leaf command of the click tree typer builds (typer ships its own click)."""
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        return [(path, command)]
    return [found for name, sub in subcommands.items() for found in _commands(sub, (*path, name))]


COMMANDS = _commands(typer.main.get_command(app))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_docs_commands_md_describes_every_command_and_option(
    path: tuple[str, ...], command: Any
) -> None:
    text = (DOCS / "commands.md").read_text()
    heading = f"## `poolbooks {' '.join(path)}"
    assert heading in text, f"docs/commands.md has no section {heading}…`"
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    options = [
        opt
        for param in command.params
        if param.param_type_name == "option" and param.name not in ("help", "debug")
        for opt in param.opts
        if opt.startswith("--")
    ]
    missing = [opt for opt in options if not re.search(rf"(?<![\w-]){opt}(?![\w-])", section)]
    assert missing == [], f"poolbooks {' '.join(path)}: undocumented options"


def _tables() -> dict[str, type]:
    """Each config table by its name ("" for the top level) and the dataclass it becomes."""
    hints = typing.get_type_hints(Config)
    tables: dict[str, type] = {"": Config, "accounts": Account}
    for field in fields(Config):
        hint = hints[field.name]
        for candidate in (hint, *typing.get_args(hint)):
            if isinstance(candidate, type) and is_dataclass(candidate):
                tables[field.name] = candidate
    return tables


@pytest.mark.parametrize("name", sorted(_tables()))
def test_docs_configuration_md_describes_every_key_of_every_table(name: str) -> None:
    text = (DOCS / "configuration.md").read_text()
    if name == "":
        section = text.split("## Top-level keys", 1)[1].split("\n## ", 1)[0]
    else:
        marker = "## `[[accounts]]`" if name == "accounts" else f"## `[{name}]`"
        assert marker in text, f"docs/configuration.md has no section {marker}"
        section = text.split(marker, 1)[1].split("\n## ", 1)[0]
    settings = ACCOUNT_SETTINGS if name == "accounts" else (_tables()[name],)
    keys = {key for one in settings for key in keys_of(one)}
    missing = sorted(key for key in keys if f"`{key}`" not in section)
    assert missing == []


def test_docs_name_every_pool_host_and_endpoint() -> None:
    configuration = (DOCS / "configuration.md").read_text()
    pool_api = (DOCS / "pool-api.md").read_text()
    hosts = [host for regions in HOSTS.values() for host in regions.values()]
    assert [host for host in hosts if f"`{host}`" not in configuration] == []
    endpoints = ENDPOINTS.values() if isinstance(ENDPOINTS, dict) else ENDPOINTS
    assert [e.path for e in endpoints if f"`{e.path}`" not in pool_api] == []


def test_the_configuration_page_gives_duckdbs_defaults_as_the_code_has_them() -> None:
    # the memory limit decides the build's peak RSS (benchmarks/README.md, B5): a user reading
    # the page must see the one the build uses
    page = (DOCS / "configuration.md").read_text()
    assert f'memory_limit = "{DEFAULT_DUCKDB_MEMORY_LIMIT}"' in page
    assert f"| `memory_limit` | `{DEFAULT_DUCKDB_MEMORY_LIMIT}` |" in page
    assert f"threads = {DEFAULT_DUCKDB_THREADS}" in page
    assert f"| `threads` | {DEFAULT_DUCKDB_THREADS} |" in page
