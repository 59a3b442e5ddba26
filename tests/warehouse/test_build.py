"""The runner: order from the SQL, one atomic swap, data tests, readers undisturbed."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

import poolbooks.warehouse.build as build_module
from harness.warehouse_rows import mart_names
from poolbooks.lake.marker import create_lake
from poolbooks.lake.readable import ReadableFiles
from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse.build import _last_readers, build_warehouse
from poolbooks.warehouse.errors import BuildError, ProjectError
from poolbooks.warehouse.project import SQL_DIR, SqlProject, load_project
from poolbooks.warehouse.templating import pin_lake_files
from tests.warehouse.duckdb_cli import duckdb_cli
from tests.warehouse.handlake import Day, HandLake

D = date(2026, 1, 1)


def test_models_are_ordered_by_what_their_sql_reads() -> None:
    project = load_project()
    order = project.order
    assert order.index("payouts") < order.index("payout_onchain")  # CTE named like the model
    assert order.index("int_account_totals") < order.index("reconciliation_issues")
    assert order.index("reconciliation_issues") < order.index("payout_reconciliation")
    assert project.depends_on["int_earn_history"] == {"int_earn_history_observations"}
    assert project.models["stg_earn_history_observations"].sources == {"earn_history"}
    targets = project.test_targets("assert_payout_rows_sum_to_amount")
    assert targets[0] == "int_paid_rows"  # upstream first: the check sits on the last
    assert set(targets) == {"int_paid_rows", "daily_earnings", "payouts"}
    assert set(mart_names()) == {  # the contract's tables, and nothing else in sql/marts
        "daily_earnings",
        "earnings_vs_difficulty",
        "hashrate_daily",
        "payouts",
        "payout_reconciliation",
        "reconciliation_issues",
        "payout_onchain",
        "daily_pnl",
    }


def test_a_cycle_between_models_is_refused(tmp_path: Path) -> None:
    (tmp_path / "marts").mkdir()
    (tmp_path / "marts" / "a.sql").write_text("select * from b")
    (tmp_path / "marts" / "b.sql").write_text("with x as (select 1) select * from a")
    with pytest.raises(ProjectError, match="cycle"):
        load_project(tmp_path)


def test_views_read_the_lake_with_an_explicit_hive_type(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 5)])
    lake.build()
    ((sql,),) = lake.query(
        "select sql from duckdb_views() where view_name = 'stg_earn_history_observations'"
    )
    assert "hive_types = struct_pack(fetch_date := 'DATE')" in sql
    assert "hive_types_autocast = false" in sql
    assert lake.query(
        "select typeof(fetch_date) from read_parquet(?, hive_partitioning = true, "
        "hive_types = {'fetch_date': DATE}) limit 1",
        str(tmp_path / "lake/earn_history/*/*.parquet"),
    ) == [("DATE",)]


def test_memory_and_threads_are_set_from_the_config(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 5)])
    lake.build()
    ((memory, threads),) = lake.query("select memory_limit, threads from _poolbooks_build")
    assert int(threads) == 1 and memory == "953.6 MiB"  # 1GB as DuckDB prints it


def test_an_empty_lake_builds_empty_tables(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    create_lake(lake.config.lake)  # what an ingest that fetched nothing leaves
    report = lake.build()
    assert report.published and report.rows["daily_earnings"] == 0


def failing_project(tmp_path: Path) -> Path:
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql)
    (sql / "tests" / "assert_no_day_earns_exactly_five.sql").write_text(
        "select * from daily_earnings where earnings_sat = 5"
    )
    return sql


def test_a_failing_data_test_keeps_the_published_warehouse(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 4)])
    assert lake.build().published
    lake.observe("a", [Day(D, 5)])
    report = build_warehouse(lake.config, load_project(failing_project(tmp_path)))
    assert not report.published
    assert [(t.name, t.failures) for t in report.failed_tests] == [
        ("assert_no_day_earns_exactly_five", 1)
    ]
    assert lake.query("select earnings_sat from daily_earnings") == [(4,)]
    assert report.failed_build is not None and report.failed_build.exists()


def test_a_broken_model_names_itself_and_leaves_the_warehouse_as_it_was(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 4)])
    lake.build()
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql)
    (sql / "marts" / "payouts.sql").write_text("select no_such_column from daily_earnings")
    with pytest.raises(BuildError, match=r"model payouts \(payouts.sql\)"):
        build_warehouse(lake.config, load_project(sql))
    assert lake.query("select earnings_sat from daily_earnings") == [(4,)]
    assert not list(tmp_path.glob(".*building*"))


def test_the_published_warehouse_opens_in_a_plain_duckdb_with_its_macros(tmp_path: Path) -> None:
    lake = HandLake(tmp_path, timezone="Asia/Shanghai")
    lake.observe("a", [Day(D, 5, paid=5, tx=" t1\t", address="3Pay ")])
    lake.snapshot("hashrate", "a", shares_15m_hs=1e15)
    assert lake.build().published
    project = load_project()
    views = sorted(n for n, m in project.models.items() if m.materialization == "view")
    warehouse = str(lake.config.warehouse)
    # the macros are saved in the file: temporary ones would have gone with the build
    saved = duckdb_cli(
        "-readonly",
        warehouse,
        "-c",
        "select function_name from duckdb_functions() "
        "where database_name = current_database() order by 1",
    )
    assert project.macros is not None
    assert saved[1:] == sorted(re.findall(r"create or replace macro (\w+)\(", project.macros.sql))
    # every saved view reads, opened as the file and attached under another name
    counts = " union all ".join(f"select '{v}', count(*) from {v}" for v in views)
    opened = duckdb_cli("-readonly", warehouse, "-c", counts)
    attached = duckdb_cli("-c", f"attach '{warehouse}' as books (read_only); use books; {counts}")
    assert opened == attached and len(opened) == len(views) + 1
    assert duckdb_cli(
        "-readonly",
        warehouse,
        "-c",
        "select payment_tx, payout_address, pool_day(fetched_at) "
        "from stg_earn_history_observations",
    )[1:] == ["t1,3Pay,2026-03-01"]
    assert duckdb_cli(
        "-c",
        f"attach '{warehouse}' as books (read_only); "
        "select books.pool_day(timestamptz '2026-01-01 17:00:00+00'), books.sum_sat(2) + 1",
    )[1:] == ["2026-01-02,3"]


def test_macros_that_do_not_run_name_their_file(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 4)])
    lake.build()
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql)
    with (sql / "macros.sql").open("a") as macros:
        macros.write("create or replace macro broken(x) as x +;\n")
    with pytest.raises(BuildError, match=r"^macros \(macros.sql\): Parser Error"):
        build_warehouse(lake.config, load_project(sql))
    assert lake.query("select earnings_sat from daily_earnings") == [(4,)]


@pytest.mark.adversarial
def test_a_reader_keeps_reading_while_a_build_replaces_the_file(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 4)])
    lake.build()
    reader = duckdb.connect(str(lake.config.warehouse), read_only=True)
    try:
        lake.observe("a", [Day(D, 9)])
        assert lake.build().published  # a writer is not blocked by the open reader
        assert reader.execute("select earnings_sat from daily_earnings").fetchall() == [(4,)]
    finally:
        reader.close()
    assert lake.query("select earnings_sat from daily_earnings") == [(9,)]


def _project_in(folder: Path, files: dict[str, str]) -> SqlProject:
    for name, sql in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(sql)
    (folder / "tests").mkdir(exist_ok=True)
    return load_project(folder)


def test_a_temporary_table_read_through_a_view_lives_until_the_views_last_reader(
    tmp_path: Path,
) -> None:
    files = {
        "intermediate/int_rows.sql": "select 1 as x",
        "intermediate/int_latest.sql": "-- materialized: view\nselect * from int_rows",
        "marts/first.sql": "select * from int_latest",
        "marts/second.sql": "select * from first, int_latest",
        "marts/third.sql": "select * from second",
    }
    project = _project_in(tmp_path / "sql", files)
    assert _last_readers(project) == {"second": ["int_rows"]}
    # read by a data test through the view, it lives to the end of the build
    tested = _project_in(
        tmp_path / "tested",
        {**files, "tests/assert_latest.sql": "select * from int_latest where x < 0"},
    )
    assert _last_readers(tested) == {}


def test_the_build_lets_the_observations_go_once_the_days_and_payments_are_built() -> None:
    project = load_project()
    done_with = {name: step for step, names in _last_readers(project).items() for name in names}
    observations = project.order.index(done_with["int_earn_history_observations"])
    assert observations < project.order.index("daily_earnings")  # before the wide marts
    for reader in ("int_days", "int_paid_rows", "int_changed_day_observations"):
        assert project.order.index(reader) <= observations


def test_an_intermediate_models_memory_is_back_before_the_models_after_its_last_reader(
    tmp_path: Path,
) -> None:
    # DuckDB frees a dropped table's memory only when its transaction ends: `second` sees
    # what the build's tables hold once `first`, the last reader of int_big, is built
    files = {
        "intermediate/int_big.sql": "select md5(cast(range as varchar)) as x from range(1000000)",
        "marts/first.sql": "select count(*) as rows from int_big",
        "marts/second.sql": (
            "select cast(sum(memory_usage_bytes) as bigint) as held, any_value(rows) as rows "
            "from duckdb_memory(), first where tag = 'IN_MEMORY_TABLE'"
        ),
    }
    project = _project_in(tmp_path / "sql", files)
    lake = HandLake(tmp_path)
    create_lake(lake.config.lake)
    assert build_warehouse(lake.config, project, allow_shrink=True).published
    ((held, rows),) = lake.query("select held, rows from second")
    assert rows == 1_000_000
    assert held < 10_000_000  # int_big alone is about 45 MB


def test_a_build_reads_the_lake_files_of_its_start_while_an_ingest_commits_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 4, paid=4, tx="tx-1")])

    def pin_then_ingest(storage: LakeStorage) -> dict[str, ReadableFiles]:
        pinned = pin_lake_files(storage)
        # an ingest commits a restatement once the build has listed the lake's files: every
        # model (the days, the payments, the findings) reads the lake several times after this
        lake.observe("a", [Day(D, 9, paid=9, tx="tx-1")])
        return pinned

    monkeypatch.setattr(build_module, "pin_lake_files", pin_then_ingest)
    report = lake.build()
    assert report.published and report.failed_tests == []
    assert lake.query("select earnings_sat, paid_amount_sat from daily_earnings") == [(4, 4)]
    assert lake.query("select paid_sat from payouts") == [(4,)]
    assert lake.query("select count(*) from reconciliation_issues") == [(0,)]
    # the saved staging view reads the lake as it is now, the new run too
    assert lake.query("select count(*) from stg_earn_history_observations") == [(2,)]
