"""`poolbooks demo`: the whole pipeline, offline, against the built-in simulator."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import duckdb

from poolbooks.config import Config, ConfigError, load_config
from poolbooks.demo_config import config_tables
from poolbooks.exports.year_files import YearFile, export_year
from poolbooks.ingest.onchain_checks import OnchainReport, check_payouts
from poolbooks.ingest.prices_report import PricesReport
from poolbooks.ingest.prices_run import fetch_prices
from poolbooks.ingest.progress import Progress
from poolbooks.ingest.reports import IngestReport
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api.client import PoolClient
from poolbooks.report.render import write_report
from poolbooks.simulator.faults import parse_faults
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import port_is_free, running_simulator
from poolbooks.simulator.server import create_app
from poolbooks.warehouse.build import BuildReport, build_warehouse
from poolbooks.warehouse.connection import connect_read_only

DEMO_SEED = 1
# sim001 BTC PPS, sim002 BTC FPPS, sim003 BCH PPS, sim004 BTC FPPS paging oldest first, and
# sim005, a sub-account created today with no history yet
DEMO_ACCOUNTS = 5
DEMO_NEW_ACCOUNTS = 1
DEMO_DAYS = 730
DEMO_PORT = 8765
DEMO_FAULTS = "5xx=0.02,429=0.01,retry_after=0,err_no=0.01,badjson=0.01,drift=1"
DEMO_CONFIG_MARK = "# Written by `poolbooks demo`"
# One clock: the simulated history ends now, and the demo lives its last days as a scheduler
# would, in simulated time: snapshots every few hours, the earn-history once a day.
LIVED_DAYS = 7
SNAPSHOT_EVERY = timedelta(hours=8)
DAGSTER_HOME = "dagster_home"
# Given the demo's Dagster home, gets ready to record (in a worker thread, while the demo runs)
# and returns what records the finished demo there.
Recorder = Callable[[Path], Callable[["DemoResult"], object]]


@dataclass
class DemoResult:
    folder: Path
    config: Path
    base_url: str
    warehouse: Path = Path()
    seconds: float = 0.0
    first_day: str = ""
    ended: datetime = field(default_factory=lambda: datetime.now(UTC))
    accounts: list[str] = field(default_factory=list)  # "sim001 BTC PPS", ...
    oldest_first: list[str] = field(default_factory=list)  # accounts paging oldest first
    ingests: list[IngestReport] = field(default_factory=list)
    requests: int = 0  # to the pool, every ingest together
    retries: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    payouts: int = 0
    split_days: int = 0  # days paid in several payments
    no_history: list[str] = field(default_factory=list)  # accounts with snapshots, no days
    efficiency_days: int = 0  # account-days with earnings and hashrate snapshots
    efficiency_range: tuple[float, float] = (0.0, 0.0)
    onchain_checked: int = 0
    onchain_errors: list[str] = field(default_factory=list)
    findings: int = 0
    finding_kinds: dict[str, int] = field(default_factory=dict)  # kind -> findings
    export_year: int = 0
    files: dict[str, Path] = field(default_factory=dict)
    # what each step reported, for the record of its runs (`record` in run_demo)
    onchain: OnchainReport | None = None
    prices: PricesReport | None = None
    build: BuildReport | None = None
    exported: list[YearFile] = field(default_factory=list)
    report_bytes: int = 0

    @property
    def dagster_home(self) -> Path:
        """The demo's Dagster instance, where `make dev` finds the demo's runs."""
        return self.folder / DAGSTER_HOME


def write_demo_config(folder: Path, pool: SimulatedPool, port: int) -> tuple[Path, dict[str, str]]:
    """The demo's poolbooks.toml (simulator settings included) and its .env of simulator keys."""
    base = f"http://127.0.0.1:{port}"
    lines = [
        f"{DEMO_CONFIG_MARK}: simulated accounts served by `poolbooks simulate`.",
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
        "[prices]  # the simulator's Coinbase candles, from each coin's first earning day",
        f'base_url = "{base}"',
        "requests_per_second = 50",
        "",
        "[simulator]  # `poolbooks simulate --config` serves exactly this pool again",
        f"seed = {pool.seed}",
        f"accounts = {pool.n_accounts}",
        f"new_accounts = {pool.new_accounts}",
        f"days = {pool.days}",
        f'start = "{pool.first_day.isoformat()}"',
        f'now = "{pool.now.isoformat()}"  # where the demo ended',
        'clock = "wall"  # from `now` on it follows the wall clock, as Dagster runs stamp theirs',
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


async def live_the_last_days(
    config: Config,
    storage: LakeStorage,
    pool: SimulatedPool,
    ends: datetime,
    progress: Progress | None,
    result: DemoResult,
) -> None:
    """From the pool's clock to `ends`: the whole history first, then a snapshot of every
    point-in-time endpoint every SNAPSHOT_EVERY and the earn-history on each new day and at
    the end, every answer stamped with the pool's clock (the one clock of the demo)."""
    async with PoolClient(config.client, timezone=config.timezone, clock=lambda: pool.now) as c:
        result.ingests.append(
            await ingest(config, config.accounts, storage, client=c, progress=progress)
        )
        while pool.now < ends:
            day = pool.today
            pool.set_now(min(pool.now + SNAPSHOT_EVERY, ends))
            history = pool.today != day or pool.now == ends
            result.ingests.append(
                await ingest(config, config.accounts, storage, history=history, client=c)
            )
        result.requests, result.retries = c.stats.requests, c.stats.retries


def run_demo(
    folder: Path,
    progress: Progress | None = None,
    say: Callable[[str], None] = print,
    now: datetime | None = None,
    recorder: Recorder | None = None,
) -> DemoResult:
    """Simulate a pool whose history ends `now` (default: the wall clock), live its last days
    (with faults), build, reconcile on chain, export, report; then record what it did with
    `recorder` (the CLI's records it in the demo's Dagster instance), which gets ready in a
    worker thread while the demo runs."""
    started = time.perf_counter()
    ends = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    folder = folder.resolve()
    refuse_a_folder_that_is_not_the_demos(folder)
    shutil.rmtree(folder / "data", ignore_errors=True)
    shutil.rmtree(folder / DAGSTER_HOME, ignore_errors=True)  # its runs were of the old data
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DAGSTER_HOME).mkdir()
    with ThreadPoolExecutor(1) as worker:
        recording = worker.submit(recorder, folder / DAGSTER_HOME) if recorder else None
        result = _run(folder, ends, progress, say)
        if recording is not None:
            recording.result()(result)
    result.seconds = time.perf_counter() - started
    return result


def _run(
    folder: Path, ends: datetime, progress: Progress | None, say: Callable[[str], None]
) -> DemoResult:
    port = DEMO_PORT if port_is_free(DEMO_PORT) else 0
    pool = SimulatedPool(
        seed=DEMO_SEED,
        n_accounts=DEMO_ACCOUNTS,
        new_accounts=DEMO_NEW_ACCOUNTS,
        days=DEMO_DAYS,
        now=ends - timedelta(days=LIVED_DAYS),
        start=ends.date() - timedelta(days=DEMO_DAYS - 1),
    )
    app = create_app(pool, parse_faults(DEMO_FAULTS))
    with running_simulator(app, port=port) as sim:
        config_path, environ = write_demo_config(folder, pool, sim.port)
        config = load_config(config_path, environ)
        storage = LakeStorage(config.lake)
        result = DemoResult(folder, config_path, sim.base_url, config.warehouse, ended=ends)
        result.first_day = pool.first_day.isoformat()
        result.accounts = [f"{a.name} {a.coin} {a.payment_mode}" for a in pool.accounts]
        result.oldest_first = [a.name for a in pool.accounts if a.order == "oldest_first"]
        say(f"simulated pool on {sim.base_url} with faults {DEMO_FAULTS}")
        say(f"ingesting its history, then its last {LIVED_DAYS} days up to now in simulated time")
        anyio.run(live_the_last_days, config, storage, pool, ends, progress, result)
        say("fetching the coins' daily prices from its simulated Coinbase")
        result.prices = anyio.run(lambda: fetch_prices(config, storage, clock=lambda: pool.now))
        say("building the warehouse and checking payouts on chain")
        onchain = anyio.run(check_payouts, config, storage)
        result.onchain_checked, result.onchain_errors = onchain.checked, onchain.errors
        result.onchain = onchain
        result.build = build = build_warehouse(config)
        result.tables = build.rows
        write_demo_config(folder, pool, sim.port)  # remember the clock for `make dev`
    result.export_year = year = pool.today.year - 1
    result.exported = export_year(config.warehouse, config.export_settings, config.accounts, year)
    for file in result.exported:
        result.files[file.kind] = file.path
    result.files["report"] = folder / "data" / "report.html"
    result.report_bytes = write_report(config.warehouse, result.files["report"])
    with connect_read_only(config.warehouse) as con:
        read_what_it_shows(con, result)
    return result


def read_what_it_shows(con: duckdb.DuckDBPyConnection, result: DemoResult) -> None:
    """The warehouse's figures the summary quotes."""

    def count(sql: str) -> int:
        ((value,),) = con.execute(sql).fetchall()
        return int(value)

    result.payouts = count("select count(*) from payouts")
    result.findings = count("select count(*) from reconciliation_issues")
    result.finding_kinds = {
        str(kind): int(n)
        for kind, n in con.execute(
            "select kind, count(*) from reconciliation_issues group by kind order by kind"
        ).fetchall()
    }
    result.split_days = count("select count(*) from daily_earnings where payments > 1")
    result.no_history = [
        name
        for (name,) in con.execute(
            "select distinct account from hashrate_daily where account not in "
            "(select account from daily_earnings) order by 1"
        ).fetchall()
    ]
    ((days, low, high),) = con.execute(
        "select count(*), coalesce(min(efficiency), 0), coalesce(max(efficiency), 0) "
        "from earnings_vs_difficulty where efficiency is not null and earnings_sat > 0"
    ).fetchall()
    result.efficiency_days = int(days)
    result.efficiency_range = (float(low), float(high))


def demo_environment(folder: Path) -> dict[str, str]:
    """The demo's keys, as `make dev` and the notebooks read them from `.env`."""
    env_file = folder / ".env"
    pairs = (line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    return {**os.environ, **dict(pairs)}
