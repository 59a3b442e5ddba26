"""The command line: simulate serves on loopback, config errors exit 2 in one line, demo runs."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import httpx
import pytest
from typer.testing import CliRunner

from harness.loopback import free_port, until_ready
from poolbooks.cli import app
from poolbooks.pool_api.endpoints import ENDPOINTS
from poolbooks.simulator.payouts import BLOCK_AFTER
from poolbooks.simulator.pool import SimulatedPool

POOLBOOKS = [sys.executable, "-c", "from poolbooks.cli import main; main()"]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*POOLBOOKS, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_simulate_serves_every_endpoint_on_loopback() -> None:
    port = free_port()
    process = subprocess.Popen(
        [*POOLBOOKS, "simulate", "--port", str(port), "--accounts", "2", "--days", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        stats = base + "/_sim/stats"
        until_ready(lambda: httpx.get(stats, timeout=1), "simulator", (httpx.TransportError,))
        account = SimulatedPool(n_accounts=2, days=30).accounts[1]
        params: dict[str, int | str] = {"puid": account.puid, "access_key": account.access_key}
        history = httpx.get(base + "/v1/account/earn-history", params=params).json()
        assert history["err_no"] == 0 and history["data"]["total_count"] == 30
        for endpoint in ENDPOINTS.values():
            body = httpx.get(base + endpoint.path, params=params).json()
            assert body["err_no"] == 0 and body["data"], endpoint.name
        txid = next(r["payment_tx"] for r in history["data"]["list"] if r["payment_tx"])
        assert httpx.get(f"{base}/esplora/tx/{txid}").json()["txid"] == txid
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "curl" in stderr and account.access_key in stderr


@pytest.mark.slow
def test_simulate_with_the_demos_config_goes_on_from_it_on_the_wall_clock(tmp_path: Path) -> None:
    from poolbooks.demo import write_demo_config

    port = free_port()
    ended = datetime(2026, 3, 10, 23, 40, tzinfo=UTC)  # a demo that ended months ago
    pool = SimulatedPool(n_accounts=3, new_accounts=1, days=60, now=ended, start=date(2026, 1, 10))
    config, _ = write_demo_config(tmp_path, pool, port)
    process = subprocess.Popen(
        [*POOLBOOKS, "simulate", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        clock = base + "/_sim/clock"
        until_ready(lambda: httpx.get(clock, timeout=1), "simulator", (httpx.TransportError,))
        now = httpx.get(clock).json()
        histories = []
        for account in pool.accounts:
            params: dict[str, int | str] = {
                "puid": account.puid,
                "access_key": account.access_key,
                "page_size": 50,
            }
            body = httpx.get(base + "/v1/account/earn-history", params=params).json()
            histories.append(body["data"]["total_count"])
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert now["clock"] == "wall"
    assert abs(datetime.fromisoformat(now["now"]) - datetime.now(UTC)) < timedelta(minutes=5)
    days = (datetime.now(UTC).date() - date(2026, 1, 10)).days + 1
    assert histories[0] >= days and histories[2] == 0  # the new account: no history yet
    assert "wall clock" in stderr and "sim003 is new: no history yet" in stderr


def test_simulate_rejects_an_unknown_clock_mode_with_exit_2() -> None:
    result = run_cli("simulate", "--clock", "sundial")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --clock must be one of fixed, wall, not 'sundial'"


def test_simulate_rejects_a_bad_fault_spec_with_exit_2() -> None:
    result = run_cli("simulate", "--faults", "5xx=7")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "5xx needs a probability between 0 and 1" in result.stderr


ACCOUNT_TOML = '[[accounts]]\nname = "{name}"\npuid = 1\naccess_key_env = "{key}"\n{extra}'


@pytest.mark.parametrize(
    ("accounts", "env", "line"),
    [
        (
            [("main", "POOLBOOKS_TEST_UNSET_KEY", "")],
            {},
            "account 'main': access_key_env: "
            "environment variable POOLBOOKS_TEST_UNSET_KEY is not set",
        ),
        (
            [("main", "POOLBOOKS_TEST_KEY", "")],
            {"POOLBOOKS_TEST_KEY": ""},
            "account 'main': access_key_env: environment variable POOLBOOKS_TEST_KEY is not set",
        ),
        (
            [("main", "POOLBOOKS_TEST_KEY", 'coin = "DOGE"\n')],
            {"POOLBOOKS_TEST_KEY": "k"},
            "account 'main': coin: unknown coin 'DOGE' (one of BTC, BCH, SBTC, UBTC)",
        ),
        (
            [("main", "POOLBOOKS_TEST_KEY", 'region = "mars"\n')],
            {"POOLBOOKS_TEST_KEY": "k"},
            "account 'main': region: unknown region 'mars' (one of cn, sz, us, eu, global)",
        ),
        (
            [("main", "POOLBOOKS_TEST_KEY", ""), ("main", "POOLBOOKS_TEST_KEY", "")],
            {"POOLBOOKS_TEST_KEY": "k"},
            "account 'main': name: duplicate account name",
        ),
    ],
    ids=["unset-key", "empty-key", "coin", "region", "duplicate"],
)
def test_config_error_exits_2_with_one_line_naming_account_and_field(
    tmp_path: Path, accounts: list[tuple[str, str, str]], env: dict[str, str], line: str
) -> None:
    config = tmp_path / "poolbooks.toml"
    config.write_text(
        "".join(ACCOUNT_TOML.format(name=n, key=k, extra=extra) for n, k, extra in accounts)
    )
    result = run_cli("snapshot", "--config", str(config), env=env)  # it needs the keys
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: config error: {line}"
    assert "Traceback" not in result.stderr


def test_accounts_lists_configured_accounts_without_keys(tmp_path: Path) -> None:
    config = tmp_path / "poolbooks.toml"
    config.write_text(
        '[[accounts]]\nname = "main"\npuid = 1\naccess_key_env = "POOLBOOKS_TEST_KEY"\n'
        'coin = "BCH"\nregion = "us"\n'
    )
    result = CliRunner().invoke(
        app,
        ["accounts", "--config", str(config)],
        env={"POOLBOOKS_TEST_KEY": "s3cret-k3y", "COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "us-bccpool.api.btc.com" in result.output
    assert "s3cret-k3y" not in result.output


def test_a_pool_that_is_not_listening_is_said_at_once_without_retries(tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "poolbooks.toml"
    config.write_text(
        ACCOUNT_TOML.format(
            name="main", key="POOLBOOKS_TEST_KEY", extra=f'base_url = "http://127.0.0.1:{port}"\n'
        )
    )
    result = run_cli("snapshot", "--config", str(config), env={"POOLBOOKS_TEST_KEY": "k"})
    assert result.returncode == 3
    (failed,) = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    endpoint = failed.split("endpoint ")[1].split(":")[0]  # the first to fail, of several
    assert failed == (
        f"failed: account 'main', endpoint {endpoint}: cannot connect to "
        f"http://127.0.0.1:{port}: connection refused (is the pool running?)"
    )
    assert "(0 retries, 0 rate-limited)" in result.stdout


def test_accounts_lists_every_account_marking_those_whose_key_is_not_set(
    tmp_path: Path,
) -> None:
    config = tmp_path / "poolbooks.toml"
    config.write_text(
        "".join(
            ACCOUNT_TOML.format(name=name, key=key, extra="")
            for name, key in [("a", "POOLBOOKS_TEST_KEY_A"), ("b", "POOLBOOKS_TEST_KEY_B")]
        )
        + ACCOUNT_TOML.format(name="c", key="POOLBOOKS_TEST_KEY_C", extra="")
    )
    (tmp_path / ".env").write_text("POOLBOOKS_TEST_KEY_A=k\n")
    result = CliRunner().invoke(
        app,
        ["accounts", "--config", str(config)],
        env={"POOLBOOKS_TEST_KEY_B": "s3cret-k3y", "COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    rows = {line.split()[1]: line for line in result.stdout.splitlines() if "$POOLBOOKS" in line}
    assert "(not set)" in rows["a"] and "(not set)" not in rows["b"] and "(not set)" in rows["c"]
    env_file = tmp_path / ".env"
    assert result.stderr.splitlines() == [
        "warning: 2 of 3 accounts have no key: POOLBOOKS_TEST_KEY_A, POOLBOOKS_TEST_KEY_C not "
        f"set; ingest and snapshot need them; to set them from {env_file}: set -a; . {env_file}; "
        "set +a"
    ]
    assert "s3cret-k3y" not in result.output


@pytest.mark.parametrize("folder", ["demo", "elsewhere"])
def test_the_demos_next_steps_load_its_keys_and_offer_make_only_for_dot_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    from poolbooks.cli.demo import next_steps
    from poolbooks.demo import DemoResult

    monkeypatch.chdir(tmp_path)
    where = tmp_path / folder
    result = DemoResult(where, where / "poolbooks.toml", "http://127.0.0.1:8765")
    result.warehouse = where / "data" / "warehouse.duckdb"
    lines = [line.strip() for line in next_steps(result)]
    assert f"set -a; . {folder}/.env; set +a   # its keys, which ingest needs" in lines
    keys = lines.index(f"set -a; . {folder}/.env; set +a   # its keys, which ingest needs")
    assert lines[keys + 1] == f".venv/bin/poolbooks ingest --config {folder}/poolbooks.toml"
    makes = [line for line in lines if line.startswith("make ")]
    if folder == "demo":
        assert [m.split()[1] for m in makes] == ["dev", "notebooks"]
    else:
        assert makes == []
        assert lines[-1] == "(make dev and make notebooks use ./demo, not elsewhere)"


def test_demo_runs_the_whole_pipeline_offline_and_says_where_everything_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from poolbooks.demo import DEMO_DAYS

    monkeypatch.chdir(tmp_path)
    started = datetime.now(UTC)
    result = CliRunner().invoke(app, ["demo", "--dir", "demo"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    demo = tmp_path / "demo"
    # the simulated history ends now, and `make dev` goes on from there on the wall clock
    simulator = tomllib.loads((demo / "poolbooks.toml").read_text())["simulator"]
    ended = datetime.fromisoformat(simulator["now"])
    assert started - timedelta(seconds=1) <= ended <= datetime.now(UTC)
    assert simulator["start"] == (ended.date() - timedelta(days=DEMO_DAYS - 1)).isoformat()
    assert simulator["clock"] == "wall" and simulator["new_accounts"] == 1
    year = ended.year - 1
    for name in ("generic", "koinly", "cointracker"):
        assert (demo / "data" / "exports" / f"tax-{year}-{name}-receipt.csv").stat().st_size > 200
    assert (demo / "data" / "exports" / f"mining-{year}.beancount").exists()
    assert (demo / "data" / "report.html").stat().st_size > 10_000
    assert "poolbooks demo done in" in result.output
    assert "make dev" in result.output
    # a healthy pool: no finding, unless the demo ended within minutes of a payout, which the
    # chain has not mined yet (tests/test_demo.py ends one there on purpose)
    with duckdb.connect(str(demo / "data" / "warehouse.duckdb"), read_only=True) as con:
        findings = con.execute(
            "select f.kind, p.payment_time from reconciliation_issues as f "
            "left join payouts as p using (account, coin, payment_tx)"
        ).fetchall()
    assert f"{len(findings)} finding" in result.output, result.output
    for kind, sent in findings:
        assert kind == "onchain_unconfirmed" and ended - sent <= BLOCK_AFTER, result.output
    assert "make notebooks" in result.output
    warehouse = demo / "data" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        accounts = con.sql(
            "select account, coin, any_value(payment_mode), count(*) from daily_earnings "
            "group by all order by 1"
        ).fetchall()
        ((payouts, checked, confirmed),) = con.sql(
            "select (select count(*) from payouts), count(*), count(*) filter (confirmed) "
            "from payout_onchain"
        ).fetchall()
        ((split,),) = con.sql("select count(*) from daily_earnings where payments > 1").fetchall()
        ((efficiency_days,),) = con.sql(
            "select count(*) from earnings_vs_difficulty where efficiency is not null "
            "and earnings_sat > 0"
        ).fetchall()
    # sim004 pages oldest first; sim005, new today, has snapshots and no history
    assert [a[:3] for a in accounts] == [
        ("sim001", "BTC", "PPS"),
        ("sim002", "BTC", "FPPS"),
        ("sim003", "BCH", "PPS"),
        ("sim004", "BTC", "FPPS"),
    ]
    assert all(days == DEMO_DAYS for *_, days in accounts)
    assert payouts > 100 and checked == payouts and confirmed >= payouts - len(accounts)
    assert f"{payouts} checked on chain" in result.output
    assert "sim004 pages its history oldest first" in result.output
    assert "sim005: no history yet, only its snapshots" in result.output
    assert f"  {split} days paid in several payments" in result.output and split >= 4
    assert f"efficiency vs expected PPS: {efficiency_days} account-days" in result.output
    assert efficiency_days >= 4 * 6
    # the next command it prints opens the warehouse with the DuckDB CLI
    command = next(line for line in result.output.splitlines() if "duckdb -readonly" in line)
    assert "demo/data/warehouse.duckdb" in command
    cli = subprocess.run(
        [
            str(Path(sys.executable).with_name("duckdb")),
            "-readonly",
            str(warehouse),
            "-csv",
            "-c",
            "select count(*) from daily_earnings",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert cli.stdout.split() == ["count_star()", str(sum(days for *_, days in accounts))]
    assert (demo / ".env").stat().st_mode & 0o077 == 0
    # and what it did is in its Dagster instance, for `make dev` (tests/assets/test_demo_runs.py)
    assert "recording what it did in its Dagster instance" in result.output
    assert (demo / "dagster_home" / "dagster.yaml").is_file()
    assert (demo / "dagster_home" / "history" / "runs.db").is_file()


def test_demo_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    project = tmp_path / "books"
    (project / "data" / "lake").mkdir(parents=True)
    (project / "poolbooks.toml").write_text('[[accounts]]\nname = "main"\n')
    result = run_cli("demo", "--dir", str(project))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: config error: --dir: {project} is not empty and has a poolbooks.toml the demo "
        "did not write; the demo would replace it: choose a new or empty folder"
    )
    assert (project / "data" / "lake").is_dir()
    assert (project / "poolbooks.toml").read_text() == '[[accounts]]\nname = "main"\n'


def test_demo_may_start_again_in_its_own_folder_or_an_empty_one(tmp_path: Path) -> None:
    from poolbooks.demo import refuse_a_folder_that_is_not_the_demos, write_demo_config

    empty = tmp_path / "empty"
    empty.mkdir()
    refuse_a_folder_that_is_not_the_demos(empty)
    refuse_a_folder_that_is_not_the_demos(tmp_path / "new")
    (tmp_path / "old").mkdir()
    write_demo_config(tmp_path / "old", SimulatedPool(n_accounts=1, days=3), 8765)
    (tmp_path / "old" / "data").mkdir()
    refuse_a_folder_that_is_not_the_demos(tmp_path / "old")
