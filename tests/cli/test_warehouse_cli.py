"""`poolbooks build` and `poolbooks reconcile`: output and exit codes."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poolbooks.cli import app
from poolbooks.demo_config import write_sim_config
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import running_simulator
from poolbooks.simulator.server import create_app
from poolbooks.warehouse import project
from poolbooks.warehouse.project import load_project
from tests.warehouse.handlake import Day, HandLake, days_from

D = date(2026, 1, 1)
WIDE = {"COLUMNS": "200"}


def config_file(lake: HandLake) -> Path:
    lines = [f'lake = "{lake.folder}/lake"', f'warehouse = "{lake.folder}/warehouse.duckdb"']
    for name, (puid, coin) in lake.accounts.items():
        lines += ["[[accounts]]", f'name = "{name}"', f"puid = {puid}", f'coin = "{coin}"']
        lines += [f'access_key_env = "UNSET_KEY_{name.upper()}"', ""]
    path = lake.folder / "poolbooks.toml"
    path.write_text("\n".join(lines))
    return path


def test_build_needs_no_keys_and_reports_tables_and_tests(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 100), Day(date(2026, 1, 2), 0)])
    result = CliRunner().invoke(app, ["build", "--config", str(config_file(lake))], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "daily_earnings 2" in result.output
    tests = len(load_project().tests)  # the written ones and one per declared key
    assert tests >= 23 and f"data tests: {tests}/{tests} passed" in result.output


def test_build_says_whether_it_updated_or_built_whole_and_why(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", days_from(D, [100] * 9 + [0]))  # to 2026-01-10, not settled yet
    config = str(config_file(lake))

    def build(*options: str) -> str:
        result = CliRunner().invoke(app, ["build", "--config", config, *options], env=WIDE)
        assert result.exit_code == 0, result.output
        return result.output

    assert "full build: no published warehouse that recorded its build" in build()
    assert "updated: nothing in the lake changed the marts" in build()
    lake.observe("a", [Day(date(2026, 1, 10), 70), Day(date(2026, 1, 11), 0)])
    assert (
        "updated: 1 accounts from 2026-01-10 (rows recomputed: hashrate_daily 0, "
        "daily_earnings 2, earnings_vs_difficulty 2, daily_pnl 1, payouts 0, "
        "reconciliation_issues 0, payout_onchain 0, payout_reconciliation 1)"
    ) in build()
    assert "full build: asked for (--full)" in build("--full")


def test_builds_table_list_is_one_line_in_a_pipe(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 100), Day(date(2026, 1, 2), 0)])
    result = CliRunner().invoke(app, ["build", "--config", str(config_file(lake))])
    assert result.exit_code == 0, result.output
    (built,) = [line for line in result.stdout.splitlines() if line.startswith("built ")]
    for table in ("seed_block_subsidy", "daily_earnings", "payouts", "payout_reconciliation"):
        assert f" {table} " in built


def test_build_exits_1_when_a_data_test_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 5)])
    sql = tmp_path / "sql"
    shutil.copytree(project.SQL_DIR, sql)
    (sql / "tests" / "assert_nothing_earns_five.sql").write_text(
        "select * from daily_earnings where earnings_sat = 5"
    )
    monkeypatch.setattr(project, "SQL_DIR", sql)
    result = CliRunner().invoke(app, ["build", "--config", str(config_file(lake))], env=WIDE)
    assert result.exit_code == 1
    assert "data test failed: assert_nothing_earns_five: 1 rows" in result.output
    assert "was left as it was" in result.output


def test_reconcile_lists_findings_by_kind_and_exits_1(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 100, paid=100, tx=None), Day(date(2026, 1, 3), 1)])
    lake.observe("b", [Day(D, 1)])
    result = CliRunner().invoke(app, ["reconcile", "--config", str(config_file(lake))], env=WIDE)
    assert result.exit_code == 1, result.output
    assert "missing_days 1, paid_without_tx 1" in result.output
    assert "2 findings in 2 accounts" in result.output


def test_reconcile_clean_exits_0(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    lake.observe("a", [Day(D, 100), Day(date(2026, 1, 2), 5)])
    result = CliRunner().invoke(app, ["reconcile", "--config", str(config_file(lake))], env=WIDE)
    assert result.exit_code == 0, result.output
    assert (
        "0 findings in 1 accounts (findings are the rows of the warehouse table "
        "reconciliation_issues)"
    ) in result.output


def test_reconcile_onchain_checks_payouts_at_the_configured_esplora(tmp_path: Path) -> None:
    pool = SimulatedPool(n_accounts=2, days=30)
    with running_simulator(create_app(pool)) as sim:
        extra = f'esplora_url = "{sim.base_url}/esplora"\n[client]\nrequests_per_second = 500'
        path, environ = write_sim_config(tmp_path, pool, sim.base_url, extra)
        runner = CliRunner()
        ingest = runner.invoke(app, ["ingest", "--config", str(path)], env={**environ, **WIDE})
        assert ingest.exit_code == 0, ingest.output
        result = runner.invoke(app, ["reconcile", "--onchain", "--config", str(path)], env=WIDE)
        assert result.exit_code == 0, result.output
    payouts = len(pool.payouts())
    assert f"on-chain: {payouts} payouts checked" in result.output
    assert f"{payouts} confirmed" in result.output
