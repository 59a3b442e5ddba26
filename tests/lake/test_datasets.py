"""The dataset registry: every dataset has its schema, its key is made of its columns, and
each pool endpoint's answers go to exactly one dataset."""

from __future__ import annotations

from pathlib import Path

from poolbooks.lake.datasets import BY_ENDPOINT, REGISTRY, SNAPSHOT_DATASETS
from poolbooks.lake.schemas import DATASETS
from poolbooks.pool_api.endpoints import ENDPOINTS


def test_every_dataset_has_a_schema_and_every_schema_a_dataset() -> None:
    assert list(REGISTRY) == list(DATASETS)


def test_each_key_is_made_of_the_datasets_own_columns() -> None:
    for dataset in REGISTRY.values():
        assert set(dataset.key) <= set(dataset.schema.names), dataset.name


def test_every_endpoint_lands_in_one_dataset() -> None:
    assert set(BY_ENDPOINT) == set(ENDPOINTS)
    assert BY_ENDPOINT["pool-stats-merge"].name == "pool_stats"
    assert SNAPSHOT_DATASETS == (
        "account_info",
        "earn_stats",
        "hashrate",
        "worker_stats",
        "pool_stats",
    )


def test_the_lake_docs_list_the_registry_as_it_is() -> None:
    """The docs read the registry: its table in docs/lake.md is checked against it, row by
    row (the section's own rows: the columns section below has tables too)."""
    readme = Path(__file__).resolve().parents[2] / "docs" / "lake.md"
    section = readme.read_text().split("\n## Datasets", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    expected = [
        f"| `{d.name}` | {', '.join(d.key)} | "
        f"{', '.join(f'`{e.name}`' for e in d.endpoints) or '—'} | {d.description} |"
        for d in REGISTRY.values()
    ]
    assert rows == expected
