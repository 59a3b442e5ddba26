"""What the asset catalog shows of each asset before anything runs: the whole Definitions, with
each kept model's columns, description and SQL file from its header, each lake dataset's columns
from the registry with their meaning, and no asset for a model the build throws away."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from poolbooks.config import load_config
from poolbooks.lake.columns import COLUMN_DESCRIPTIONS
from poolbooks.lake.datasets import REGISTRY
from poolbooks.lake.schemas import DUCKDB_TYPES
from poolbooks.warehouse.project import SqlProject, load_project
from poolbooks_dagster.definitions import build_definitions
from poolbooks_dagster.warehouse.specs import check_specs, model_specs, published_models

FIXTURE_CONFIG = Path(__file__).resolve().parents[1] / "fixtures" / "poolbooks.toml"


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return build_definitions(load_config(FIXTURE_CONFIG, {}, require_keys=False))


@pytest.fixture(scope="module")
def project() -> SqlProject:
    return load_project()


def node(defs: dg.Definitions, name: str) -> dg.AssetSpec:
    return next(s for s in defs.resolve_all_asset_specs() if s.key.to_user_string() == name)


def schema(spec: dg.AssetSpec) -> list[tuple[str, str, str | None]]:
    value = spec.metadata["dagster/column_schema"]
    assert isinstance(value, dg.TableSchema)
    return [(c.name, c.type, c.description) for c in value.columns]


def code_files(spec: dg.AssetSpec) -> list[str]:
    value = spec.metadata["dagster/code_references"]
    assert isinstance(value, dg.CodeReferencesMetadataValue)
    return [
        Path(r.file_path).name
        for r in value.code_references
        if isinstance(r, dg.LocalFileCodeReference)
    ]


def test_every_kept_model_is_an_asset_and_no_build_only_model_is(
    defs: dg.Definitions, project: SqlProject
) -> None:
    keys = {s.key.to_user_string() for s in defs.resolve_all_asset_specs()}
    kept = {name for name, model in project.models.items() if model.is_published}
    assert kept <= keys
    assert "int_days" not in keys
    assert not {name for name in project.models if name not in kept} & keys
    assert {"daily_earnings", "stg_hashrate", "seed_block_subsidy"} <= kept


def test_each_kept_model_carries_its_header_columns_description_and_sql_file(
    defs: dg.Definitions, project: SqlProject
) -> None:
    for name, model in project.models.items():
        if not model.is_published:
            continue
        spec = node(defs, name)
        expected = [(c.name, c.type, c.description or None) for c in model.doc.columns]
        assert schema(spec) == expected, name
        assert spec.description == (model.doc.description or None), name
        assert code_files(spec)[0] == model.path.name, name
        assert {"duckdb", "sql"} <= set(spec.kinds), name
    earnings = dict((n, t) for n, t, _ in schema(node(defs, "daily_earnings")))
    assert earnings["earnings_sat"] == "BIGINT"  # a header that documents its columns


def test_a_kept_model_depends_on_what_it_reads_through_build_only_models(
    defs: dg.Definitions,
) -> None:
    deps = {d.asset_key.to_user_string() for d in node(defs, "daily_earnings").deps}
    assert "stg_earn_history_observations" in deps  # read through int_days and others
    assert not any(name.startswith("int_") for name in deps)
    reconciliation = {
        d.asset_key.to_user_string() for d in node(defs, "payout_reconciliation").deps
    }
    assert "reconciliation_issues" in reconciliation
    assert not any(name.startswith("int_") for name in reconciliation)


def test_every_data_test_is_a_check_of_a_kept_model(
    defs: dg.Definitions, project: SqlProject
) -> None:
    graph = defs.resolve_asset_graph()
    checks = {key.name: key.asset_key.to_user_string() for key in graph.asset_check_keys}
    assert set(project.tests) <= set(checks)
    for test in project.tests:
        assert project.models[checks[test]].is_published, test


def test_each_lake_asset_carries_its_registry_columns_and_kinds(defs: dg.Definitions) -> None:
    for name, dataset in REGISTRY.items():
        spec = node(defs, name)
        assert [(c, t) for c, t, _ in schema(spec)] == [
            (f.name, DUCKDB_TYPES[f.type]) for f in dataset.schema
        ], name
        assert set(spec.kinds) == {"python", "parquet"}, name
        assert spec.description == dataset.description
        assert code_files(spec)[0].endswith(".py")


def test_every_lake_asset_gives_each_column_its_meaning(defs: dg.Definitions) -> None:
    """The column table of a lake dataset in the UI has a description in every row: the one
    `columns.py` declares for that dataset's column."""
    for name in REGISTRY:
        columns = schema(node(defs, name))
        assert [c for c, _, text in columns if not (text and text.strip())] == [], name
        assert {c: text for c, _, text in columns} == COLUMN_DESCRIPTIONS[name], name


def test_every_asset_has_a_code_reference_and_kinds(defs: dg.Definitions) -> None:
    for spec in defs.resolve_all_asset_specs():
        assert code_files(spec), spec.key
        assert spec.kinds, spec.key


def test_a_data_test_of_build_only_models_checks_a_kept_model(tmp_path: Path) -> None:
    for folder, name, sql in (
        ("seeds", "seed_a", "select 1 as id"),
        ("intermediate", "int_read", "-- key: id\nselect id from seed_a"),
        ("intermediate", "int_unread", "-- key: id\nselect id from seed_a"),
        ("marts", "mart_a", "select id from int_read"),
    ):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / f"{name}.sql").write_text(sql)
    (tmp_path / "tests").mkdir()
    project = load_project(tmp_path)
    checks = {spec.name: spec.asset_key.to_user_string() for spec in check_specs(project)}
    assert checks["assert_int_read_key_unique_and_not_null"] == "mart_a"  # built from it
    assert checks["assert_int_unread_key_unique_and_not_null"] == published_models(project)[-1]
    assert {spec.key.to_user_string() for spec in model_specs(project)} == {"seed_a", "mart_a"}
