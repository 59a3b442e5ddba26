"""The columns section of `docs/lake.md`, written from the lake's schemas and `columns.py` so it
cannot drift from them: `make docs` rewrites it and a test fails when it is stale."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from poolbooks.lake.columns import COLUMN_DESCRIPTIONS
from poolbooks.lake.datasets import REGISTRY
from poolbooks.lake.schemas import DUCKDB_TYPES

BEGIN = "<!-- columns: written by `make docs` from the lake's schemas.py and columns.py -->"
END = "<!-- end of columns -->"
WIDTH = 96  # the docs' line length


def render_columns() -> str:
    """The generated region: every dataset's columns with type, nullability and meaning."""
    types = ", ".join(f"{name} is `{arrow}`" for arrow, name in DUCKDB_TYPES.items())
    intro = (
        "Each dataset's columns in file order, as `schemas.py` declares them and Dagster's "
        "column tables show them. Types are DuckDB's names for the Arrow types the files hold "
        f"({types}); NOT NULL columns are never null. Edit `columns.py`, not this section."
    )
    parts = [BEGIN, "", textwrap.fill(intro, WIDTH, break_on_hyphens=False), ""]
    for name in REGISTRY:
        parts += [_dataset_section(name), ""]
    parts.append(END)
    return "\n".join(parts)


def _dataset_section(dataset: str) -> str:
    descriptions = COLUMN_DESCRIPTIONS[dataset]
    lines = [f"### `{dataset}`", "", "| column | type | meaning |", "|---|---|---|"]
    for field in REGISTRY[dataset].schema:
        kind = DUCKDB_TYPES[field.type] + ("" if field.nullable else " NOT NULL")
        lines.append(f"| `{field.name}` | {kind} | {_cell(descriptions[field.name])} |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def with_columns(text: str) -> str:
    """`text` (docs/lake.md) with its columns region, markers included, written afresh."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no region from {BEGIN!r} to {END!r}")
    return text[:start] + render_columns() + text[end + len(END) :]


def main(argv: list[str] | None = None) -> None:
    """`python -m poolbooks.lake.reference PATH`: rewrite the columns region of PATH in place;
    without PATH, print it."""
    args = sys.argv[1:] if argv is None else argv
    if args:
        path = Path(args[0])
        path.write_text(with_columns(path.read_text()))
    else:
        sys.stdout.write(render_columns() + "\n")


if __name__ == "__main__":
    main()
