"""Every column of every lake dataset has a meaning, declared once in `columns.py`: one for each
field of its schema, in the schema's order, and none for a column the schema does not have."""

from __future__ import annotations

from poolbooks.lake.columns import COLUMN_DESCRIPTIONS
from poolbooks.lake.datasets import REGISTRY


def test_every_dataset_of_the_registry_has_its_columns_described() -> None:
    assert list(COLUMN_DESCRIPTIONS) == list(REGISTRY)


def test_every_field_of_every_schema_has_a_description_and_nothing_else_has_one() -> None:
    for name, dataset in REGISTRY.items():
        assert list(COLUMN_DESCRIPTIONS[name]) == dataset.schema.names, name
        blank = [column for column, text in COLUMN_DESCRIPTIONS[name].items() if not text.strip()]
        assert blank == [], name


def test_a_dataset_says_what_its_own_columns_mean() -> None:
    """Shared columns are declared once and overridden where a dataset's differ."""
    assert "page holding the row" in COLUMN_DESCRIPTIONS["earn_history"]["fetched_at"]
    assert "Esplora" in COLUMN_DESCRIPTIONS["onchain_tx"]["fetched_at"]
    assert "API `address`" in COLUMN_DESCRIPTIONS["account_info"]["address"]
    assert "in satoshi" in COLUMN_DESCRIPTIONS["earn_stats"]["unpaid_sat"]
