"""A demo that recorded what it did in its Dagster instance, shared by the tests that open it."""

from __future__ import annotations

import pytest

from poolbooks.demo import DemoResult, run_demo
from poolbooks_dagster.demo_runs import demo_recorder


def not_made(demo: DemoResult) -> set[str]:
    """Assets whose work the demo does not do: prices, until it fetches them (then its record
    must hold them too, and this set is empty)."""
    return set() if (demo.folder / "data" / "lake" / "prices").exists() else {"prices"}


@pytest.fixture(scope="session")
def recorded_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    folder = tmp_path_factory.mktemp("recorded") / "demo"
    return run_demo(folder, say=lambda line: None, recorder=demo_recorder)
