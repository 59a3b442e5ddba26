"""`poolbooks demo` on one clock: whatever day it ends, the days it lives in simulated time have
earnings and hashrate snapshots, so efficiency is filled in the warehouse, notebook 02 and the
report."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import duckdb
import nbformat
import pytest
from nbclient import NotebookClient
from playwright.sync_api import sync_playwright
from rich.console import Console

from poolbooks.cli.demo import print_summary
from poolbooks.config import load_config
from poolbooks.demo import DEMO_ACCOUNTS, DEMO_NEW_ACCOUNTS, LIVED_DAYS, DemoResult, run_demo
from poolbooks.report.pnl_charts import PNL_CHARTS
from poolbooks.simulator.chain import epoch_start
from poolbooks.simulator.payouts import BLOCK_AFTER
from poolbooks.warehouse.build import build_warehouse
from tests.report.test_report import CHROMIUM, CHROMIUM_FLAGS, ink

pytestmark = pytest.mark.slow

NOTEBOOK_02 = Path(__file__).resolve().parents[1] / "notebooks" / "02_earnings_vs_difficulty.ipynb"
RETARGET = epoch_start(date(2026, 8, 20)) + timedelta(days=14)
# the demo at an end chosen to be awkward: in the small hours (before the day's payouts), two
# days after a difficulty retarget; `tests/cli/test_cli.py` runs it again ending now
ENDS = {
    "august-after-retarget": datetime.combine(RETARGET + timedelta(days=2), time(3, 10), UTC),
}
MINING = [f"sim{i + 1:03d}" for i in range(DEMO_ACCOUNTS - DEMO_NEW_ACCOUNTS)]
EARNINGS = "select date from (select *, earnings_sat > 0 as mined from daily_earnings)"


@pytest.fixture(scope="module", params=list(ENDS))
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    folder = tmp_path_factory.mktemp(request.param) / "demo"
    return run_demo(folder, say=lambda line: None, now=ENDS[request.param])


def rows(demo: DemoResult, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(demo.warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


def test_snapshots_are_stamped_with_the_simulated_clock_across_the_lived_days(
    demo: DemoResult,
) -> None:
    ends = demo.ended
    assert rows(demo, "select min(fetched_at), max(fetched_at) from stg_hashrate") == [
        (ends - timedelta(days=LIVED_DAYS), ends)
    ]
    lived = [ends.date() - timedelta(days=n) for n in range(LIVED_DAYS, -1, -1)]
    for account in MINING:
        days = rows(
            demo,
            f"select date, snapshots from hashrate_daily where account = '{account}' order by 1",
        )
        assert [day for day, _ in days] == lived, account
        assert all(isinstance(n, int) and n >= 3 for _, n in days[1:-1]), (account, days)


def test_hashrate_days_are_days_of_the_history(demo: DemoResult) -> None:
    outside = rows(
        demo,
        "select h.account, h.date from hashrate_daily as h "
        "where h.account in (select account from daily_earnings) and not exists "
        "(select 1 from daily_earnings as d where d.account = h.account and d.date = h.date)",
    )
    assert outside == []
    assert rows(demo, "select max(date) from daily_earnings") == [(demo.ended.date(),)]


def test_efficiency_is_filled_on_every_settled_lived_day(demo: DemoResult) -> None:
    found = rows(
        demo,
        "select e.account, e.date, e.efficiency, e.difficulty, d.payment_mode "
        "from earnings_vs_difficulty as e join daily_earnings as d using (account, date) "
        "where e.hashrate_hs is not null and e.efficiency is not null and e.earnings_sat > 0 "
        "order by 1, 2",
    )
    settled = {demo.ended.date() - timedelta(days=n) for n in range(1, LIVED_DAYS + 1)}
    for account in MINING:
        mine = [row for row in found if row[0] == account]
        # every settled day but a dead one (no hashrate, no earnings: 1 in 100 days)
        dead = settled & {
            d for (d,) in rows(demo, f"{EARNINGS} where account = '{account}' and not mined")
        }
        assert {row[1] for row in mine} == settled - dead and len(dead) <= 1, account
        mode = mine[0][4]
        for _, day, efficiency, *_ in mine:
            assert isinstance(efficiency, float)
            low, high = (0.90, 1.0) if mode == "PPS" else (0.95, 1.12)
            assert low < efficiency < high, (account, mode, day, efficiency)
        # a retarget among the lived days shows as a second difficulty, joined on its day
        assert len({row[3] for row in mine}) == len({epoch_start(day) for day in settled})
    if demo.ended.date() == RETARGET + timedelta(days=2):
        assert RETARGET in settled


def test_the_summary_counts_split_days_and_names_the_account_with_no_history(
    demo: DemoResult,
) -> None:
    ((split,),) = rows(demo, "select count(*) from daily_earnings where payments > 1")
    assert demo.split_days == split and split >= len(MINING)  # the 50th day of each at least
    assert demo.no_history == [f"sim{DEMO_ACCOUNTS:03d}"]
    ((mined,),) = rows(
        demo,
        "select count(*) from daily_earnings where earnings_sat > 0 "
        f"and date >= date '{demo.ended.date() - timedelta(days=LIVED_DAYS)}'",
    )
    assert demo.efficiency_days == mined >= len(MINING) * (LIVED_DAYS - 1)
    assert demo.findings == 0
    simulator = demo.config.read_text().split("[simulator]", 1)[1]
    assert f'now = "{demo.ended.isoformat()}"' in simulator
    assert 'clock = "wall"' in simulator and "new_accounts = 1" in simulator


def shape(output: nbformat.NotebookNode) -> tuple[int, int]:
    """The (rows, columns) a Polars frame's text says it has."""
    found = re.match(r"shape: \((\d+), (\d+)\)", output["data"]["text/plain"])
    assert found, output["data"]["text/plain"][:200]
    return int(found[1]), int(found[2])


@pytest.mark.anyio
async def test_notebook_02_shows_efficiency_per_account_and_per_day(
    demo: DemoResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POOLBOOKS_CONFIG", str(demo.config))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(NOTEBOOK_02, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK_02.parent)}},
    )
    await client.async_execute()
    per_account, per_day = (
        next(o for o in cell.outputs if o.output_type == "execute_result")
        for cell in notebook.cells[-2:]
    )
    assert shape(per_account) == (len(MINING), 7)
    assert shape(per_day) == (demo.efficiency_days, 8)
    assert "FPPS" in per_account["data"]["text/plain"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_report_draws_the_efficiency_chart(demo: DemoResult) -> None:
    report = demo.files["report"]
    html = report.read_text()
    figure = html[html.index('<figure id="efficiency">') :]
    figure = figure[: figure.index("</figure>")]
    assert "no day has both" not in figure
    assert "sim001 (PPS)" in figure and "sim002 (FPPS)" in figure and "expected PPS" in figure
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        png = page.locator("#efficiency").screenshot()
        browser.close()
    share, colours = ink(png)
    assert share > 0.03 and colours > 8, (share, colours)


def test_the_demos_lake_holds_each_coins_prices_from_its_first_day(demo: DemoResult) -> None:
    first, end = date.fromisoformat(demo.first_day), demo.ended.date()
    found = rows(
        demo,
        "select coin, currency, min(date), max(date), count(distinct date), "
        "max(date) filter (where final) from stg_prices group by coin, currency order by coin",
    )
    days = (end - first).days + 1
    yesterday = end - timedelta(days=1)
    assert found == [
        ("BCH", "USD", first, end, days, yesterday),
        ("BTC", "USD", first, end, days, yesterday),
    ]
    assert demo.prices is not None and demo.prices.errors == []


def test_the_demos_exports_are_valued_and_its_ledger_passes_bean_check(demo: DemoResult) -> None:
    import csv
    import subprocess
    import sys

    with demo.files["generic"].open() as handle:
        generic = list(csv.DictReader(handle))
    assert generic and all(row["value"] and row["currency"] == "USD" for row in generic)
    ledger = demo.files["ledger"]
    text = ledger.read_text()
    assert text.count(" USD}\n") == len(generic)  # every payout held at cost
    bean_check = str(Path(sys.executable).with_name("bean-check"))
    check = subprocess.run([bean_check, str(ledger)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    # every day of the exported year has its value (the data tests hold it to amount x close)
    assert rows(
        demo,
        "select count(*) from daily_earnings where year(date) = "
        f"{demo.export_year} and earnings_value is null",
    ) == [(0,)]


def test_the_demo_costs_every_settled_day_of_its_accounts_drawing_watts(demo: DemoResult) -> None:
    # sim001 and sim003 give power_watts: every settled day has a price and a tariff, so a
    # profit; sim002 and sim004 give efficiency_j_per_th: only their days with snapshots do
    costed = dict(
        rows(
            demo,
            "select account, count(*) filter (where profit is null) from daily_pnl "
            "where account in ('sim001', 'sim003') group by all",
        )
    )
    assert costed == {"sim001": 0, "sim003": 0}
    lived = rows(
        demo,
        "select account, min(date), count(profit) from daily_pnl "
        "where account in ('sim002', 'sim004') and profit is not null group by all order by 1",
    )
    assert [(account, n) for account, _, n in lived] == [
        ("sim002", LIVED_DAYS),
        ("sim004", LIVED_DAYS),
    ]
    html = demo.files["report"].read_text()
    assert 'id="pnl-missing"' not in html
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(demo.files["report"].as_uri())
        page.wait_for_load_state("load")
        shots = [page.locator(f"#{key}").screenshot() for key in PNL_CHARTS]
        browser.close()
    for png in shots:
        share, colours = ink(png)
        assert share > 0.03 and colours > 8, (share, colours)


def test_a_demo_ending_minutes_after_a_payout_reports_it_unconfirmed(tmp_path: Path) -> None:
    # sim002's payout of 2026-12-01 is sent in the small hours of the 2nd and mined 7 minutes
    # later (simulator/payouts.py): at 02:03 UTC the chain shows it unconfirmed, an honest finding
    ended = datetime(2026, 12, 2, 2, 3, tzinfo=UTC)
    demo = run_demo(tmp_path / "demo", say=lambda line: None, now=ended)
    ((sent,),) = rows(
        demo,
        "select payment_time from payouts where last_date = '2026-12-01' and account = 'sim002'",
    )
    assert timedelta(0) <= ended - sent < BLOCK_AFTER, sent
    assert rows(demo, "select kind, account, date from reconciliation_issues") == [
        ("onchain_unconfirmed", "sim002", date(2026, 12, 1))
    ]
    assert demo.findings == 1 and demo.finding_kinds == {"onchain_unconfirmed": 1}
    console = Console(record=True, width=300)
    print_summary(demo, console)
    assert (
        "1 finding: onchain_unconfirmed 1 (a payout sent in the last minutes, not in a block yet)"
        in console.export_text()
    )


def test_a_build_after_the_demo_updates_its_warehouse_instead_of_building_whole(
    demo: DemoResult,
) -> None:
    # the demo writes its config again at its end (the simulator's clock moved on): the costs
    # it writes must be those its warehouse was built with, or `make dev`'s first build, and
    # anyone's, builds whole for nothing
    environ = dict(
        line.split("=", 1) for line in (demo.folder / ".env").read_text().splitlines() if line
    )
    report = build_warehouse(load_config(demo.config, environ))
    assert report.full_reason is None and report.recomputed is not None
    assert report.published and not report.failed_tests
