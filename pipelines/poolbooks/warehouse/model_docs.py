"""What a model's opening comment says it holds: one description, and each column's type and
meaning. Written once, in the SQL file; the warehouse's comments, the reference in `docs/` and
Dagster's column schemas are all read from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# `-- column earnings_sat BIGINT: what the day earned, satoshi` (the type as DuckDB's DESCRIBE
# spells it); lines after it that open with `--` and three or more spaces continue its meaning.
COLUMN_LINE = re.compile(
    r"^--\s*column\s+(?P<name>[a-z_][a-z0-9_]*)\s+(?P<type>[A-Z][A-Z0-9 (),]*?)\s*:\s*(?P<text>.*)$"
)
CONTINUATION = re.compile(r"^--\s{3,}(?P<text>\S.*)$")
# the `-- field: value` lines a model's header may hold (`project.SqlFile.header` reads them)
HEADER_FIELDS = ("key", "materialized", "incremental", "recent last")
FIELD_LINE = re.compile(r"^--\s*(?P<field>" + "|".join(HEADER_FIELDS) + r"):\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str  # as DuckDB's DESCRIBE spells it: BIGINT, DECIMAL(18,8), TIMESTAMP WITH TIME ZONE
    description: str


@dataclass(frozen=True)
class ModelDoc:
    description: str  # the opening paragraph of the model's comment
    columns: tuple[ColumnDoc, ...]

    def column(self, name: str) -> ColumnDoc | None:
        return next((column for column in self.columns if column.name == name), None)


def header_lines(sql: str) -> list[str]:
    """The comment lines a SQL file opens with."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.rstrip())
    return lines


def parse_model_doc(sql: str) -> ModelDoc:
    """The description (the first paragraph of the opening comment, up to a blank comment line,
    a `key:` line or the first column) and the `-- column` lines of a model."""
    description: list[str] = []
    columns: list[list[str]] = []  # name, type, text
    in_description = True
    for line in header_lines(sql):
        if match := COLUMN_LINE.match(line):
            columns.append([match["name"], match["type"], match["text"].strip()])
            in_description = False
        elif columns and (more := CONTINUATION.match(line)):
            columns[-1][2] = f"{columns[-1][2]} {more['text'].strip()}"
        elif FIELD_LINE.match(line) or line.strip() == "--":
            in_description = False
        elif in_description:
            description.append(line[2:].strip())
    return ModelDoc(
        " ".join(description),
        tuple(ColumnDoc(name, type_, text) for name, type_, text in columns),
    )
