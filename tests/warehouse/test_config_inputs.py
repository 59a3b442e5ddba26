"""The settings the P&L reads reach the build as typed relations (`{{ config('...') }}`), not
files: the staging views over them keep the values the warehouse was built with."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse.config_inputs import CONFIG_INPUTS, config_relations
from poolbooks.warehouse.cost_settings import AccountPower, CostSettings, FixedCost, Tariff
from poolbooks.warehouse.errors import ProjectError
from poolbooks.warehouse.project import load_project
from poolbooks.warehouse.templating import render
from tests.warehouse.handlake import Day, HandLake

COSTS = CostSettings(
    electricity=(Tariff(date(2026, 1, 1), Decimal("0.0825")),),
    fixed=(FixedCost(date(2026, 1, 1), Decimal("1234567.89")),),
    power={"o'brien": AccountPower(efficiency_j_per_th=Decimal("17.125"))},
)


def test_the_published_views_hold_the_settings_exactly_and_typed(tmp_path: Path) -> None:
    lake = HandLake(tmp_path, costs=COSTS)
    lake.observe("o'brien", [Day(date(2026, 1, 1), 5)])
    assert lake.build().published
    assert lake.query("select * from stg_account_power") == [("o'brien", None, Decimal("17.125"))]
    assert lake.query("select *, typeof(price_per_kwh) from stg_electricity_tariff") == [
        (date(2026, 1, 1), Decimal("0.0825"), "USD", "DECIMAL(18,6)")
    ]
    assert lake.query("select per_month from stg_fixed_costs") == [(Decimal("1234567.89"),)]
    ((sql,),) = lake.query(
        "select sql from duckdb_views() where view_name = 'stg_electricity_tariff'"
    )
    assert "0.0825" in sql and "read_" not in sql  # the values themselves, no file


def test_staging_reads_the_config_as_it_reads_the_lake() -> None:
    project = load_project()
    for name in ("stg_account_power", "stg_electricity_tariff", "stg_fixed_costs"):
        assert project.models[name].layer == "staging"
        assert project.depends_on[name] == frozenset()
    assert set(config_relations(CostSettings())) == set(CONFIG_INPUTS)


def test_an_unknown_config_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="unknown config input 'tarif'"):
        render("select * from {{ config('tarif') }}", LakeStorage(str(tmp_path)), {}, {})


def test_no_settings_are_empty_relations_of_the_same_columns() -> None:
    with duckdb.connect() as con:
        for name, relation in config_relations(CostSettings()).items():
            columns = con.sql(f"select * from {relation}").columns
            assert columns == [column for column, _ in CONFIG_INPUTS[name].columns]
            assert con.sql(f"select count(*) from {relation}").fetchall() == [(0,)]
