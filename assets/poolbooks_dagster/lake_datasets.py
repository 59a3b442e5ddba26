"""What every lake dataset asset declares and records: its columns, from the Arrow schema the
lake registry names with the meaning `columns.py` gives each, and its row count once written."""

from __future__ import annotations

from typing import Any

import dagster as dg

from poolbooks.lake.columns import COLUMN_DESCRIPTIONS
from poolbooks.lake.datasets import REGISTRY
from poolbooks.lake.reader import open_dataset
from poolbooks.lake.schemas import DUCKDB_TYPES
from poolbooks.lake.storage import LakeStorage

KINDS = {"python", "parquet"}


def column_schema(dataset: str) -> dg.TableSchema:
    """The dataset's columns as the warehouse reads them (DuckDB's names for the Arrow types),
    each with its meaning."""
    descriptions = COLUMN_DESCRIPTIONS[dataset]
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                field.name,
                DUCKDB_TYPES.get(field.type, str(field.type)),
                description=descriptions[field.name],
                constraints=dg.TableColumnConstraints(nullable=field.nullable),
            )
            for field in REGISTRY[dataset].schema
        ]
    )


def spec_metadata(dataset: str) -> dict[str, Any]:
    key = ", ".join(REGISTRY[dataset].key)
    return {"dagster/column_schema": column_schema(dataset), "key": key}


def row_count(storage: LakeStorage, dataset: str) -> dict[str, Any]:
    """`dagster/row_count`: the dataset's rows in the lake, every account's, read from the
    Parquet footers."""
    files = open_dataset(storage, dataset)
    return {"dagster/row_count": files.count_rows() if files is not None else 0}
