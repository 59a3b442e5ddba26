"""The columns section of docs/lake.md is what the lake's schemas and `columns.py` write:
`make docs` rewrites it, and it cannot drift from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from poolbooks.lake.columns import COLUMN_DESCRIPTIONS
from poolbooks.lake.datasets import REGISTRY
from poolbooks.lake.reference import BEGIN, END, main, render_columns, with_columns
from poolbooks.lake.schemas import DUCKDB_TYPES

LAKE_MD = Path(__file__).resolve().parents[2] / "docs" / "lake.md"


def test_docs_lake_md_holds_the_columns_the_schemas_write() -> None:
    text = LAKE_MD.read_text()
    assert BEGIN in text
    assert text == with_columns(text), "docs/lake.md's columns are stale: run `make docs`"


def test_the_columns_list_every_field_with_its_type_and_meaning() -> None:
    text = render_columns()
    for name, dataset in REGISTRY.items():
        section = text.split(f"### `{name}`\n", 1)[1].split("\n### ", 1)[0]
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        assert len(rows) == len(dataset.schema), name
        for field, row in zip(dataset.schema, rows, strict=True):
            kind = DUCKDB_TYPES[field.type] + ("" if field.nullable else " NOT NULL")
            meaning = COLUMN_DESCRIPTIONS[name][field.name].replace("|", "\\|")
            assert row == f"| `{field.name}` | {kind} | {meaning} |", name
    earn_history = text.split("### `earn_history`\n", 1)[1]
    assert "| `earnings_sat` | BIGINT NOT NULL | what the account earned that day" in earn_history
    assert "| `payment_tx` | VARCHAR | the payment's transaction id" in earn_history


def test_only_the_region_between_the_markers_is_rewritten(tmp_path: Path) -> None:
    page = tmp_path / "lake.md"
    page.write_text(f"# The lake\n\nhand-written\n\n{BEGIN}\nstale\n{END}\n\n## After\n")
    main([str(page)])
    text = page.read_text()
    assert text.startswith("# The lake\n\nhand-written\n\n" + BEGIN)
    assert text.endswith(END + "\n\n## After\n")
    assert "stale" not in text
    assert "### `prices`" in text
    main([str(page)])
    assert page.read_text() == text  # a second run changes nothing


def test_a_page_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="no region"):
        with_columns("# The lake\n")
