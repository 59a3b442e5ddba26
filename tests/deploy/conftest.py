"""Servers for the deploy tests (marker `deploy`, run by `make test-deploy`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.servers import Postgres, postgres_server, redis_server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/deploy/" in str(item.fspath):
            item.add_marker(pytest.mark.deploy)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server
