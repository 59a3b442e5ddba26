"""Where the SQL project lives: `sql/` beside the `pipelines` package, in the source tree."""

from __future__ import annotations

from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"


def seed_file(name: str) -> Path:
    """A seed's SQL file (`sql/seeds/<name>.sql`), for readers beside the warehouse."""
    return SQL_DIR / "seeds" / f"{name}.sql"
