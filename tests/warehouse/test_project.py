"""The SQL project as the runner reads it: layers that read only downward, keys declared once
in their model and tested from there, shared expressions as macros."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from poolbooks.warehouse.build import build_warehouse
from poolbooks.warehouse.errors import ProjectError
from poolbooks.warehouse.project import SQL_DIR, SqlFile, load_project
from tests.warehouse.handlake import Day, HandLake, days_from

D = date(2026, 1, 1)
# the grains docs/warehouse.md promises
KEYS = {
    "daily_earnings": ("account", "coin", "date"),
    "earnings_vs_difficulty": ("account", "coin", "date"),
    "hashrate_daily": ("account", "coin", "date"),
    "payouts": ("account", "coin", "payment_tx"),
    "payout_onchain": ("account", "coin", "payment_tx"),
    "payout_reconciliation": ("account", "coin"),
    "int_daily_prices": ("coin", "currency", "date"),
    "int_valuation_prices": ("coin", "date"),
    "daily_pnl": ("account", "coin", "date"),
    "stg_account_power": ("account",),
    "stg_electricity_tariff": ("start_date",),
    "stg_fixed_costs": ("start_date",),
}


def project_copy(tmp_path: Path, files: dict[str, str]) -> Path:
    """The real SQL project with `files` (path under sql/ -> text) added or replaced."""
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql)
    for name, text in files.items():
        (sql / name).write_text(text)
    return sql


def small_project(tmp_path: Path, files: dict[str, str]) -> Path:
    """A project of only `files` (path under sql/ -> text)."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_no_staging_model_reads_a_model_and_no_intermediate_model_reads_a_mart() -> None:
    project = load_project()
    layer = {name: model.layer for name, model in project.models.items()}
    reads = {(name, read) for name in project.models for read in project.depends_on[name]}
    assert [(m, r) for m, r in reads if layer[m] in ("staging", "seeds")] == []
    assert [(m, r) for m, r in reads if layer[m] == "intermediate" and layer[r] == "marts"] == []
    assert project.layer_violations() == []
    # what moved out of staging: the observations' marks and the latest observation's rows
    assert project.depends_on["int_earn_history_observations"] == {"stg_earn_history_observations"}
    assert project.depends_on["int_earn_history"] == {"int_earn_history_observations"}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"staging/stg_a.sql": "select 1 as x", "staging/stg_b.sql": "select * from stg_a"},
            r"stg_b \(staging\) reads stg_a \(staging\)",
        ),
        (
            {
                "marts/m.sql": "select 1 as x",
                "intermediate/int_a.sql": "with m as (select * from m) select * from m",
            },
            r"int_a \(intermediate\) reads m \(marts\)",
        ),
    ],
)
def test_a_model_that_reads_against_the_layers_is_refused(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    with pytest.raises(ProjectError, match=message):
        load_project(small_project(tmp_path, files))


def test_an_intermediate_model_can_be_a_temporary_view_and_no_other_can(tmp_path: Path) -> None:
    project = load_project()
    assert project.models["int_earn_history"].materialization == "ephemeral_view"
    assert project.models["int_days"].materialization == "ephemeral"
    view_mart = {"marts/m.sql": "-- A mart.\n-- materialized: view\nselect 1 as x"}
    with pytest.raises(ProjectError, match="for intermediate models"):
        load_project(small_project(tmp_path, view_mart))


def test_recent_last_names_one_column_of_a_mart(tmp_path: Path) -> None:
    assert load_project().models["payouts"].recent_last == "last_date"
    intermediate = {"intermediate/int_a.sql": "-- A model.\n-- recent last: date\nselect 1 as x"}
    with pytest.raises(ProjectError, match="is for marts"):
        load_project(small_project(tmp_path / "a", intermediate))
    mart = {"marts/m.sql": "-- A mart.\n-- recent last: date desc\nselect 1 as x"}
    with pytest.raises(ProjectError, match="is a column name"):
        load_project(small_project(tmp_path / "b", mart))


def test_each_key_is_declared_once_in_its_model_and_tested_from_there() -> None:
    project = load_project()
    assert {name: m.key for name, m in project.models.items() if m.key} == KEYS
    for model, key in KEYS.items():
        test = project.tests[f"assert_{model}_key_unique_and_not_null"]
        assert test.path == project.models[model].path  # named in errors: where the key lives
        assert project.depends_on[test.name] == {model}
        assert f"group by {', '.join(key)}" in test.sql
        assert test.sql.startswith(f"-- {model} has one row per ({', '.join(key)}), none of")
    written = [p.name for p in (SQL_DIR / "tests").glob("*.sql")]
    assert [name for name in written if "_key_" in name] == []  # no copy left by hand


def test_a_key_is_column_names(tmp_path: Path) -> None:
    model = "-- A mart.\n-- key: account; drop table x\nselect 1 as account"
    with pytest.raises(ProjectError, match="a key is column names"):
        load_project(small_project(tmp_path, {"marts/m.sql": model}))


def test_a_broken_key_fails_its_generated_test_and_nothing_is_published(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", days_from(D, [5, 6, 7]))
    lake.observe("b", [Day(D, 9)])
    sql = project_copy(
        tmp_path,
        {
            "marts/doubled_days.sql": (
                "-- Every day twice: a key that is not one.\n"
                "-- key: account, coin, date\n"
                "select account, coin, date from daily_earnings\n"
                "union all\n"
                "select account, coin, date from daily_earnings where account = 'a'\n"
            ),
            "marts/days_without_coin.sql": (
                "-- Every day, its coin lost.\n"
                "-- key: account, coin, date\n"
                "select account, cast(null as varchar) as coin, date from daily_earnings\n"
            ),
        },
    )
    report = build_warehouse(lake.config, load_project(sql))
    assert not report.published and not lake.config.warehouse.exists()
    assert [(t.name, t.failures) for t in report.failed_tests] == [
        ("assert_days_without_coin_key_unique_and_not_null", 4),  # 4 days, each with a NULL
        ("assert_doubled_days_key_unique_and_not_null", 3),  # a's 3 days twice, b's once
    ]
    assert len(report.tests) == len(load_project().tests) + 2 and all(
        t.passed for t in report.tests if "without_coin" not in t.name and "doubled" not in t.name
    )


def test_every_macro_is_called_and_no_model_writes_out_a_macros_expression() -> None:
    project = load_project()
    assert project.macros is not None
    macros = re.findall(r"create or replace macro (\w+)\(", project.macros.sql)
    assert macros == [
        "trimmed_or_null",
        "pool_time",
        "pool_day",
        "utc_day",
        "pool_day_ended",
        "sum_sat",
        "pct_change",
        "fiat_exact",
        "to_cents",
        "value_to_cents",
        "expected_pps",
        "scaled",
        "round_div",
        "cost_to_cents",
    ]
    models = {name: model.sql for name, model in project.models.items()}
    readers = [*models.values(), *(test.sql for test in project.tests.values())]
    for macro in macros:  # by a model, or by a data test that checks the models exactly
        assert any(f"{macro}(" in sql for sql in readers), macro
    written_out = {
        "trimmed_or_null": r"regexp_replace\(",
        "pool_time": r"timezone\(",
        "sum_sat": r"cast\(sum\([^()]*\) as bigint\)",
        "pct_change": r"nullif\([^()]*\) - 1\) \* 100",
        "fiat_exact": r"\* 0\.00000001 \*",
        "to_cents": r"round\([^()]*, 2\)",
        "expected_pps": r"86400 \* [\w.]*subsidy_sat\s*/\s*nullif",
    }
    for name, sql in models.items():
        for macro, pattern in written_out.items():
            assert not re.search(pattern, sql), f"{name} writes out {macro}"


def test_an_import_cte_read_more_than_once_is_not_materialized() -> None:
    # DuckDB copies a CTE read more than once into memory before the query reads it: over 10
    # years of 1,000 accounts that copy cost int_days 1.6-2 s and made the build spill at
    # 800MB (sql/README.md, "A CTE read more than once is copied")
    project = load_project()
    files = {**project.models, **project.tests}
    copied = []
    for name, sql_file in files.items():
        sql = re.sub(r"--[^\n]*", "", sql_file.sql)
        imports = re.findall(r"(?m)^(\w+) as (not materialized )?\(\s*select \* from \w+\s*\)", sql)
        for cte, hint in imports:
            reads = len(re.findall(rf"\b(?:from|join)\s+{cte}\b", sql))
            if reads > 1 and not hint:
                copied.append(f"{name}: {cte} read {reads} times")
    assert copied == []
    assert any("not materialized" in f.sql for f in files.values())  # the pattern still finds


def test_known_tables_stand_in_for_parsing_the_files_whose_text_they_know() -> None:
    project = load_project()
    daily = project.models["daily_earnings"]
    # a made-up record for daily_earnings' text: believed, so not parsed
    known = {**project.tables_read, daily.digest: frozenset({"payouts", "not_a_model"})}
    known.pop(project.models["payouts"].digest)  # and payouts' text unknown: parsed again
    again = load_project(known_tables=known)
    assert again.depends_on["daily_earnings"] == {"payouts"}
    assert again.depends_on["payouts"] == project.depends_on["payouts"]
    assert again.tables_read[project.models["payouts"].digest] == project.models["payouts"].tables()


def test_a_build_keeps_what_its_sql_reads_and_the_next_build_parses_none_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", days_from(D, list(range(1, 21))))
    lake.build()
    project = load_project()
    recorded = dict(lake.query("select digest, tables from _poolbooks_sql_tables"))
    assert {digest: frozenset(tables) for digest, tables in recorded.items()} == dict(
        project.tables_read
    )

    def parse(self: SqlFile) -> frozenset[str]:
        raise AssertionError(f"{self.name} parsed again")

    monkeypatch.setattr(SqlFile, "tables", parse)
    lake.observe("a", days_from(D, list(range(1, 22)))[-2:])  # a new day after the last
    report = lake.build()
    assert report.published and report.full_reason is None
    # a full build reads the record too (its SQL is the same)
    assert lake.build(full=True).published
