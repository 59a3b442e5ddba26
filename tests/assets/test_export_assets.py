"""Export assets: tax files per configured year and format, and the report, after the marts."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import dagster as dg
import pytest

from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.simulator.running import RunningSimulator
from poolbooks_dagster.exports.assets import report_html, tax_exports
from poolbooks_dagster.warehouse.assets import warehouse_assets
from tests.assets.test_warehouse_assets import ingest_all, live_sim, resources  # noqa: F401


@pytest.fixture
def export_config(
    live_sim: RunningSimulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Config:
    extra = (
        f'esplora_url = "{live_sim.base_url}/esplora"\n'
        "[client]\nrequests_per_second = 500\n"
        '[exports]\nyears = [2026]\nformats = ["koinly", "generic"]\nfolder = "out"\n'
    )
    path, environ = write_sim_config(tmp_path, live_sim.state.pool, live_sim.base_url, extra)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return load_config(path, environ)


def test_exports_and_report_materialize_after_the_marts(export_config: Config) -> None:
    ingest_all(export_config)
    result = dg.materialize(
        [*warehouse_assets(), tax_exports, report_html], resources=resources(export_config)
    )
    assert result.success
    out = export_config.export_settings.folder
    assert sorted(p.name for p in out.iterdir()) == [
        "mining-2026.beancount",
        "tax-2026-generic-receipt.csv",
        "tax-2026-koinly-receipt.csv",
    ]
    rows = list(csv.reader((out / "tax-2026-koinly-receipt.csv").open()))
    assert rows[0][0] == "Date" and len(rows) > 10
    exports = next(
        m.materialization
        for m in result.get_asset_materialization_events()
        if m.materialization.asset_key.to_user_string() == "tax_exports"
    )
    files = exports.metadata["files"].value
    assert isinstance(files, dg.TableMetadataValue)
    listed = {r.data["file"]: (r.data["kind"], r.data["rows"]) for r in files.records}
    assert listed["tax-2026-koinly-receipt.csv"] == ("koinly", len(rows) - 1)
    kind, ledger_rows = listed["mining-2026.beancount"]
    assert kind == "ledger" and isinstance(ledger_rows, int) and ledger_rows > 0
    assert exports.metadata["dagster/row_count"].value == ledger_rows
    report = next(
        m.materialization
        for m in result.get_asset_materialization_events()
        if m.materialization.asset_key.to_user_string() == "report_html"
    )
    assert Path(str(report.metadata["path"].value)).stat().st_size > 10_000


def test_with_prices_per_coin_each_coin_gets_its_own_valued_file(
    live_sim: RunningSimulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    (tmp_path / "btc.csv").write_text("date,price\n" + "".join(f"{d},50000\n" for d in days))
    extra = (
        "[client]\nrequests_per_second = 500\n"
        '[exports]\nyears = [2026]\nformats = ["generic"]\nfolder = "out"\n'
        'currency = "eur"\nprices = { BTC = "btc.csv" }\n'
    )
    path, environ = write_sim_config(tmp_path, live_sim.state.pool, live_sim.base_url, extra)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    config = load_config(path, environ)
    ingest_all(config)
    result = dg.materialize([*warehouse_assets(), tax_exports], resources=resources(config))
    assert result.success
    header, *rows = csv.reader((tmp_path / "out" / "tax-2026-generic-receipt-btc.csv").open())
    assert rows and {row[header.index("currency")] for row in rows} == {"EUR"}
    for row in rows:
        amount, value = Decimal(row[header.index("amount")]), row[header.index("value")]
        assert Decimal(value) == (amount * 50000).quantize(Decimal("0.01"), ROUND_HALF_UP)
