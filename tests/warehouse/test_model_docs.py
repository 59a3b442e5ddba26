"""Every table and column the warehouse keeps is described once, in its model's header, and that
text is what DuckDB's catalog, `docs/warehouse.md` and Dagster show: none of them can drift."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import duckdb
import pytest

from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.warehouse.build import build_warehouse
from poolbooks.warehouse.model_docs import ColumnDoc, parse_model_doc
from poolbooks.warehouse.project import load_project
from poolbooks.warehouse.reference import render_reference
from tests.conftest import SIM_BASE_URL, Sim

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"
PUBLISHED = sorted(name for name, m in load_project().models.items() if m.is_published)


def test_a_header_gives_the_description_and_each_column_with_its_continuation() -> None:
    doc = parse_model_doc(
        "-- One row per payout.\n"
        "-- Second line of the same paragraph.\n"
        "--\n"
        "-- A note that is not the description.\n"
        "-- key: account, payment_tx\n"
        "-- column paid_sat BIGINT: what the payout paid,\n"
        "--     in satoshi\n"
        "-- column payment_time TIMESTAMP WITH TIME ZONE: when it was paid\n"
        "select 1\n"
        "-- column ignored BIGINT: after the header\n"
    )
    assert doc.description == "One row per payout. Second line of the same paragraph."
    assert doc.columns == (
        ColumnDoc("paid_sat", "BIGINT", "what the payout paid, in satoshi"),
        ColumnDoc("payment_time", "TIMESTAMP WITH TIME ZONE", "when it was paid"),
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """A warehouse built from two simulated accounts, with snapshots, so every table has rows."""
    tmp_path = tmp_path_factory.mktemp("docs")
    sim = Sim(SimulatedPool(n_accounts=2, days=40))
    path, environ = write_sim_config(tmp_path, sim.pool, SIM_BASE_URL)
    config = load_config(path, environ)

    async def fill() -> None:
        storage = LakeStorage(config.lake)
        await ingest(config, config.accounts, storage, client=sim.client())

    anyio.run(fill)
    assert build_warehouse(config).failed_tests == []
    con = duckdb.connect(str(config.warehouse), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("name", PUBLISHED)
def test_each_published_model_documents_its_columns_as_built(
    warehouse: duckdb.DuckDBPyConnection, name: str
) -> None:
    doc = load_project().models[name].doc
    built = [(row[0], row[1]) for row in warehouse.execute(f"describe {name}").fetchall()]
    documented = [(column.name, column.type) for column in doc.columns]
    assert doc.description, f"{name}: the header's first paragraph describes the table"
    assert documented == built, f"{name}: `-- column` lines differ from the built columns"
    assert all(column.description for column in doc.columns)


def test_the_warehouse_catalog_carries_every_description(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    missing = warehouse.execute(
        "select table_name, column_name from duckdb_columns() "
        "where not internal and table_name not like '\\_poolbooks%' escape '\\' "
        "and comment is null"
    ).fetchall()
    assert missing == []
    tables = dict(
        warehouse.execute(
            "select table_name, comment from duckdb_tables() where not internal "
            "union all select view_name, comment from duckdb_views() where not internal"
        ).fetchall()
    )
    project = load_project()
    assert {name: tables.get(name) for name in PUBLISHED} == {
        name: project.models[name].doc.description for name in PUBLISHED
    }


def test_docs_warehouse_md_is_the_reference_the_models_write() -> None:
    assert REFERENCE.read_text() == render_reference(load_project()), (
        "docs/warehouse.md is stale: run `make docs`"
    )


def test_the_reference_lists_every_published_column() -> None:
    text = render_reference(load_project())
    for name in PUBLISHED:
        assert f"### `{name}`" in text
        for column in load_project().models[name].doc.columns:
            assert f"| `{column.name}` | {column.type} |" in text
