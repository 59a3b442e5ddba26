"""The notebooks run top to bottom against a warehouse built from the simulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import nbformat
import pytest
from nbclient import NotebookClient

from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.ingest.onchain_checks import check_payouts
from poolbooks.ingest.prices_run import fetch_prices
from poolbooks.ingest.run import ingest
from poolbooks.lake.storage import LakeStorage
from poolbooks.onchain.esplora import EsploraClient
from poolbooks.prices.client import CoinbaseCandles
from poolbooks.report.data import read_report_data
from poolbooks.report.palette import account_colours
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import FAST_SETTINGS, SIM_BASE_URL, Sim

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture
async def warehouse_config(make_sim: Callable[..., Sim], tmp_path: Path) -> Path:
    sim = make_sim(n_accounts=3, days=200)
    extra = f'esplora_url = "{SIM_BASE_URL}/esplora"\n[prices]\nbase_url = "{SIM_BASE_URL}"'
    # the simulated accounts come with power draws and the farm's [costs] (demo_config.py)
    path, environ = write_sim_config(tmp_path, sim.pool, SIM_BASE_URL, extra)
    config = load_config(path, environ)
    storage = LakeStorage(config.lake)
    await ingest(config, config.accounts, storage, client=sim.client())
    for _ in range(3):
        sim.pool.advance(seconds=8 * 3600)
        await ingest(config, config.accounts, storage, client=sim.client(), history=False)
    await ingest(config, config.accounts, storage, client=sim.client())
    prices = CoinbaseCandles(SIM_BASE_URL, FAST_SETTINGS, sim.transport(), lambda: sim.pool.now)
    try:
        await fetch_prices(config, storage, client=prices)
    finally:
        await prices.aclose()
    esplora = EsploraClient(f"{SIM_BASE_URL}/esplora", FAST_SETTINGS, transport=sim.transport())
    await check_payouts(config, storage, esplora)
    assert build_warehouse(config).published
    return path


def test_there_are_four_notebooks_stored_without_outputs() -> None:
    assert [n.stem for n in NOTEBOOKS] == [
        "01_earnings_overview",
        "02_earnings_vs_difficulty",
        "03_payout_reconciliation",
        "04_mining_pnl",
    ]
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


# Run after a notebook's own cells: every labelled line and bar series of its open figures (the
# tests run matplotlib's Agg backend, where figures stay open), with its colour and a line's
# last date.
DRAWN = """
import json

import matplotlib.dates as mdates
from matplotlib.colors import to_hex

drawn = []
for number in plt.get_fignums():
    for axis in plt.figure(number).axes:
        for line in axis.get_lines():
            last = mdates.num2date(mdates.date2num(line.get_xdata())[-1]).date().isoformat()
            drawn.append([line.get_label(), to_hex(line.get_color()), last])
        for bars in axis.containers:
            drawn.append([bars.get_label(), to_hex(bars.patches[0].get_facecolor()), None])
print("DRAWN " + json.dumps(drawn))
"""


@pytest.mark.anyio
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
async def test_notebook_runs_against_a_simulated_warehouse(
    warehouse_config: Path, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POOLBOOKS_CONFIG", str(warehouse_config))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(DRAWN))
    client = NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    await client.async_execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(o.output_type == "execute_result" for o in outputs)
    printed = "".join(o.get("text", "") for o in outputs)
    drawn = json.loads(printed.split("DRAWN ", 1)[1])
    drawn_accounts_as_the_report_does(warehouse_config, drawn, path.stem)


def drawn_accounts_as_the_report_does(
    config_path: Path, drawn: list[tuple[str, str, str | None]], notebook: str
) -> None:
    """Each account in the report's colour; no line runs into the provisional today row."""
    warehouse = load_config(config_path, {}, require_keys=False).warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        settled = dict(
            con.execute(
                "select account, max(date) filter (not provisional) from daily_earnings "
                "group by account having bool_or(provisional)"
            ).fetchall()
        )
    colours = read_report_data(warehouse).colours
    assert set(colours) == set(settled)  # every account has a provisional row to leave out
    assert colours == account_colours(settled)
    series = [(label, colour, last) for label, colour, last in drawn if label in colours]
    assert series, notebook  # every notebook draws accounts
    for label, colour, last in series:
        assert colour == colours[label], (notebook, label)
        if last is not None:
            assert date.fromisoformat(last) <= settled[label], (notebook, label)
    if notebook.startswith("01"):  # the daily lines end on the last settled day
        assert {label: last for label, _, last in series if last} == {
            account: day.isoformat() for account, day in settled.items()
        }


def demo_beside_notebooks(folder: Path, config: Path) -> Path:
    """`demo/` (this config, its data) and an empty `notebooks/`, as in the repository."""
    demo = folder / "demo"
    demo.mkdir()
    (demo / "poolbooks.toml").write_text(config.read_text())
    (demo / "data").symlink_to(config.parent / "data")
    (folder / "notebooks").mkdir()
    return demo


@pytest.mark.anyio
async def test_without_poolbooks_config_a_notebook_reads_the_demos_warehouse(
    warehouse_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POOLBOOKS_CONFIG", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    demo = demo_beside_notebooks(tmp_path, warehouse_config)
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    client = NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path / "notebooks")}},
    )
    await client.async_execute()
    printed = "".join(
        o.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
    )
    assert f"warehouse: {demo / 'data' / 'warehouse.duckdb'}" in printed
