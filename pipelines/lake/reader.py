"""Reading lake datasets: committed files only, in their current schema, as Arrow datasets."""

from __future__ import annotations

import pyarrow.dataset as pads

from pipelines.lake.schemas import DATASETS
from pipelines.lake.storage import PARQUET_SUFFIX, LakeStorage


def committed_files(storage: LakeStorage, dataset: str) -> list[str]:
    return storage.files(dataset, PARQUET_SUFFIX)


def open_dataset(storage: LakeStorage, dataset: str) -> pads.Dataset | None:
    """The dataset's committed files under its current schema; None when it has none."""
    files = committed_files(storage, dataset)
    if not files:
        return None
    return pads.dataset(files, schema=DATASETS[dataset], format="parquet", filesystem=storage.fs)
