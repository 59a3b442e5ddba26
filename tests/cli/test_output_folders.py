"""--output into a folder that does not exist yet: the folder is made, and the command says so."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poolbooks.cli import app
from tests.cli.test_warehouse_cli import config_file
from tests.warehouse.handlake import Day, HandLake

COMMANDS = {
    "export tax": ["export", "tax", "--format", "generic", "--year", "2025"],
    "export ledger": ["export", "ledger", "--year", "2025"],
    "report": ["report"],
}


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lake = HandLake(tmp_path_factory.mktemp("books"))
    paid = datetime(2025, 6, 16, 1, tzinfo=UTC)
    lake.observe("main", [Day(date(2025, 6, 15), 1000, paid=1000, tx="t", paid_at=paid)])
    assert lake.build().published
    return config_file(lake)


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_new_output_folder_is_made_and_said(
    config: Path, tmp_path: Path, command: list[str]
) -> None:
    output = tmp_path / "new" / "deeper" / "out.file"
    args = [*command, "--config", str(config), "--output", str(output)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert output.is_file()
    assert result.stdout.splitlines()[0] == f"created the folder {output.parent} for --output"
    again = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert again.exit_code == 0 and "created the folder" not in again.output
