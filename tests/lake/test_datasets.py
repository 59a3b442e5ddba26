"""The dataset registry: every dataset has its schema, its key is made of its columns, and
each pool endpoint's answers go to exactly one dataset."""

from __future__ import annotations

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
