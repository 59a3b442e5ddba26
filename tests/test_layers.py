"""The house's rules, read from the source: layers import only downward, the simulator
imports no client code, and no modules import each other in a loop."""

from __future__ import annotations

from tests.import_graph import all_imports, circles, upward


def test_no_package_imports_one_on_its_own_or_a_higher_floor() -> None:
    wrong = [f"{w.source}:{w.line} imports {w.target}" for w in upward(all_imports())]
    assert wrong == []


def test_no_modules_import_each_other_in_a_loop() -> None:
    assert circles(all_imports()) == []


def test_the_checker_sees_an_upward_import_and_a_loop() -> None:
    from tests.import_graph import Import

    planted = [
        Import("poolbooks.http.requester", "poolbooks.config", 1),
        Import("poolbooks.lake.storage", "poolbooks.lake.journal", 1),
        Import("poolbooks.lake.journal", "poolbooks.lake.storage", 1),
        Import("poolbooks.simulator.pool", "poolbooks.pool_api.client", 1),
        Import("poolbooks.simulator.candles", "poolbooks.prices.candles", 1),
        Import("poolbooks.prices.client", "poolbooks.lake.storage", 1),
        Import("poolbooks.ingest.prices_run", "poolbooks.prices.client", 1),
    ]
    assert [w.source for w in upward(planted)] == [
        "poolbooks.http.requester",
        "poolbooks.simulator.pool",
        "poolbooks.simulator.candles",
        "poolbooks.prices.client",
    ]
    assert ["poolbooks.lake.journal", "poolbooks.lake.storage"] in circles(planted)
