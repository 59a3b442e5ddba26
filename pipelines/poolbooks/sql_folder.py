"""Where the SQL project lives: `sql/` beside `pipelines/`, the folder that holds the package."""

from __future__ import annotations

from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def seed_file(name: str) -> Path:
    """A seed's SQL file (`sql/seeds/<name>.sql`), for readers beside the warehouse."""
    return SQL_DIR / "seeds" / f"{name}.sql"
