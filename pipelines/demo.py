"""`poolbooks demo`: the whole pipeline, offline, against the built-in simulator."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import anyio

from pipelines.config import Config, ConfigError, load_config
from pipelines.exports.ledger import export_ledger
from pipelines.exports.names import FORMATS
from pipelines.exports.tax import export_tax
from pipelines.ingest.run import IngestReport, Progress, ingest
from pipelines.lake.storage import LakeStorage
from pipelines.onchain.check import check_payouts
from pipelines.pool_api.faults import parse_faults
from pipelines.pool_api.simulated_pool import SimulatedPool
from pipelines.pool_api.simulator import (
    config_tables,
    create_app,
    port_is_free,
    running_simulator,
)
from pipelines.report.render import write_report
from pipelines.warehouse.build import build_warehouse, connect_read_only

DEMO_SEED = 1
DEMO_ACCOUNTS = 3  # sim001 BTC PPS, sim002 BTC FPPS, sim003 BCH PPS
DEMO_DAYS = 730
DEMO_PORT = 8765
DEMO_FAULTS = "5xx=0.02,429=0.01,retry_after=0,err_no=0.01,badjson=0.01,drift=1"
DEMO_CONFIG_MARK = "# Written by `poolbooks demo`"
SNAPSHOT_ROUNDS = 3  # snapshots through the rest of the simulated day, then the day settles


@dataclass
class DemoResult:
    folder: Path
    config: Path
    base_url: str
    warehouse: Path = Path()
    seconds: float = 0.0
    ingests: list[IngestReport] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    payouts: int = 0
    onchain_checked: int = 0
    onchain_errors: list[str] = field(default_factory=list)
    findings: int = 0
    export_year: int = 0
    files: dict[str, Path] = field(default_factory=dict)


def write_demo_config(folder: Path, pool: SimulatedPool, port: int) -> tuple[Path, dict[str, str]]:
    """The demo's poolbooks.toml (simulator settings included) and its .env of simulator keys."""
    base = f"http://127.0.0.1:{port}"
    lines = [
        f"{DEMO_CONFIG_MARK}: three simulated accounts served by `poolbooks simulate`.",
        'lake = "data/lake"',
        'warehouse = "data/warehouse.duckdb"',
        'timezone = "UTC"',
        f'esplora_url = "{base}/esplora"',
        f'esplora_urls = {{ BCH = "{base}/esplora" }}  # the simulator answers for every coin',
        "",
        "[client]",
        "requests_per_second = 400",
        "concurrency = 8",
        "backoff_seconds = 0.05",
        "",
        "[exports]",
        'folder = "data/exports"',
        f"years = [{pool.today.year - 1}]",
        "",
        "[simulator]  # `poolbooks simulate --config` serves exactly this pool again",
        f"seed = {pool.seed}",
        f"accounts = {pool.n_accounts}",
        f"days = {pool.days}",
        f'now = "{pool.now.isoformat()}"',
        f'start = "{pool.first_day.isoformat()}"',
        f"port = {port}",
        f'faults = "{DEMO_FAULTS}"',
        "",
    ]
    tables, environ = config_tables(pool, base)
    lines += tables
    path = folder / "poolbooks.toml"
    path.write_text("\n".join(lines))
    env_file = folder / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in environ.items()))
    env_file.chmod(0o600)
    return path, environ


def refuse_a_folder_that_is_not_the_demos(folder: Path) -> None:
    """The demo starts afresh, deleting `data/` and rewriting `poolbooks.toml` and `.env`:
    only in a new or empty folder, or one an earlier demo wrote, never in a real project."""
    if not folder.exists() or not any(folder.iterdir()):
        return
    config = folder / "poolbooks.toml"
    if config.is_file() and config.read_text(errors="replace").startswith(DEMO_CONFIG_MARK):
        return
    what = "a poolbooks.toml the demo did not write" if config.exists() else "no demo config"
    raise ConfigError(
        "--dir",
        f"{folder} is not empty and has {what}; the demo would replace it: "
        "choose a new or empty folder",
    )


def _ingest(
    config: Config, storage: LakeStorage, progress: Progress | None, history: bool = True
) -> IngestReport:
    return anyio.run(
        lambda: ingest(config, config.accounts, storage, history=history, progress=progress)
    )


def run_demo(
    folder: Path,
    progress: Progress | None = None,
    say: Callable[[str], None] = print,
) -> DemoResult:
    """Simulate a pool, ingest it (with faults), build, reconcile on chain, export, report."""
    started = time.perf_counter()
    folder = folder.resolve()
    refuse_a_folder_that_is_not_the_demos(folder)
    shutil.rmtree(folder / "data", ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dagster_home").mkdir(exist_ok=True)
    port = DEMO_PORT if port_is_free(DEMO_PORT) else 0
    pool = SimulatedPool(seed=DEMO_SEED, n_accounts=DEMO_ACCOUNTS, days=DEMO_DAYS)
    app = create_app(pool, parse_faults(DEMO_FAULTS))
    with running_simulator(app, port=port) as sim:
        config_path, environ = write_demo_config(folder, pool, sim.port)
        config = load_config(config_path, environ)
        storage = LakeStorage(config.lake)
        result = DemoResult(folder, config_path, sim.base_url, config.warehouse)
        say(f"simulated pool on {sim.base_url} with faults {DEMO_FAULTS}")
        result.ingests.append(_ingest(config, storage, progress))
        for _ in range(SNAPSHOT_ROUNDS):
            pool.advance(seconds=timedelta(hours=24 / SNAPSHOT_ROUNDS).total_seconds())
            result.ingests.append(_ingest(config, storage, None, history=False))
        result.ingests.append(_ingest(config, storage, progress))
        say("building the warehouse and checking payouts on chain")
        onchain = anyio.run(check_payouts, config, storage)
        result.onchain_checked, result.onchain_errors = onchain.checked, onchain.errors
        build = build_warehouse(config)
        result.tables = build.rows
        write_demo_config(folder, pool, sim.port)  # remember the clock for `make dev`
    result.export_year = pool.today.year - 1
    exports = config.export_settings.folder
    for name in FORMATS:
        path = exports / f"tax-{result.export_year}-{name}.csv"
        export_tax(
            config.warehouse, path, format_name=name, year=result.export_year, zone=config.timezone
        )
        result.files[name] = path
    ledger = exports / f"mining-{result.export_year}.beancount"
    export_ledger(config.warehouse, ledger, year=result.export_year, zone=config.timezone)
    result.files["ledger"] = ledger
    result.files["report"] = folder / "data" / "report.html"
    write_report(config.warehouse, result.files["report"])
    with connect_read_only(config.warehouse) as con:
        ((result.payouts,),) = con.execute("select count(*) from payouts").fetchall()
        ((result.findings,),) = con.execute("select count(*) from reconciliation_issues").fetchall()
    result.seconds = time.perf_counter() - started
    return result


def demo_environment(folder: Path) -> dict[str, str]:
    """The demo's keys, as `make dev` and the notebooks read them from `.env`."""
    env_file = folder / ".env"
    pairs = (line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    return {**os.environ, **dict(pairs)}
