"""A lake on S3 (moto on loopback): ingest, compact, build, reconcile and export work unchanged,
and give the same books as a local lake."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from harness.warehouse_rows import table_rows
from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.exports.tax import export_tax
from poolbooks.ingest.onchain_checks import check_payouts
from poolbooks.ingest.run import ingest
from poolbooks.lake.compact import compact_lake
from poolbooks.lake.errors import LakeLocationError
from poolbooks.lake.lock import lake_lock
from poolbooks.lake.marker import MARKER_NAME, open_lake
from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage
from poolbooks.onchain.esplora import EsploraClient
from poolbooks.warehouse.build import build_warehouse
from tests.conftest import FAST_SETTINGS, SIM_BASE_URL, Sim

pytestmark = pytest.mark.anyio
MARTS = (
    "daily_earnings",
    "payouts",
    "payout_reconciliation",
    "reconciliation_issues",
    "payout_onchain",
)


async def books(sim: Sim, folder: Path, lake: str) -> Config:
    path, environ = write_sim_config(
        folder, sim.pool, SIM_BASE_URL, f'esplora_url = "{SIM_BASE_URL}/esplora"'
    )
    path.write_text(path.read_text().replace('lake = "data/lake"', f'lake = "{lake}"'))
    config = load_config(path, environ)
    storage = LakeStorage(config.lake)
    for _ in range(2):
        await ingest(config, config.accounts, storage, client=sim.client())
        sim.pool.advance(days=1)
    with lake_lock(storage):
        compact_lake(storage, "s3-compaction")
    esplora = EsploraClient(f"{SIM_BASE_URL}/esplora", FAST_SETTINGS, transport=sim.transport())
    await check_payouts(config, storage, esplora)
    assert build_warehouse(config).failed_tests == []
    return config


def rows(config: Config, table: str) -> list[tuple[Any, ...]]:
    exclude = ("checked_at",) if table == "payout_onchain" else ()  # when the chain was asked
    return table_rows(config.warehouse, table, exclude)


async def test_an_s3_lake_gives_the_same_books_as_a_local_one(
    make_sim: Callable[..., Sim], tmp_path: Path, s3_bucket: str
) -> None:
    local = await books(make_sim(n_accounts=3, days=90), tmp_path / "local", "data/lake")
    remote = await books(
        make_sim(n_accounts=3, days=90), tmp_path / "s3", f"s3://{s3_bucket}/poolbooks/lake"
    )
    assert remote.lake.startswith("s3://")
    for table in MARTS:
        assert rows(remote, table) == rows(local, table), table
    keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=s3_bucket)["Contents"]]
    assert any(k.endswith(".parquet") and "/earn_history/fetch_date=" in k for k in keys)
    assert not [k for k in keys if "/.tmp-" in k]
    storage = LakeStorage(remote.lake)
    folders = [f.rpartition("/")[0] for f in readable_files(storage, "earn_history").paths]
    assert len(folders) == len(set(folders))  # compacted: one file per partition
    out = tmp_path / "koinly.csv"
    export_tax(remote.warehouse, out, format_name="koinly", year=2026, zone=remote.timezone)
    local_out = tmp_path / "koinly-local.csv"
    export_tax(local.warehouse, local_out, format_name="koinly", year=2026, zone=local.timezone)
    assert out.read_text() == local_out.read_text()


async def test_what_killed_writers_leave_on_s3_is_never_read(
    make_sim: Callable[..., Sim], tmp_path: Path, s3_bucket: str
) -> None:
    """No rename on S3: a killed upload leaves a `.tmp-` object and a killed compaction its
    manifest with the merged file beside the ones it replaces; neither changes the books."""
    config = await books(make_sim(n_accounts=2, days=30), tmp_path, f"s3://{s3_bucket}/lake")
    before = {table: rows(config, table) for table in MARTS[:4]}
    storage = LakeStorage(config.lake)
    committed = readable_files(storage, "earn_history").paths[-1]
    folder, _, name = committed.rpartition("/")
    body = storage.read_bytes(committed)
    s3 = storage.fs
    with s3.open_output_stream(f"{folder}/.tmp-part-killed.parquet.partial") as stream:
        stream.write(body[: len(body) // 2])  # a half-written upload
    with s3.open_output_stream(f"{folder}/part-compacted-killed.parquet") as stream:
        stream.write(body)  # the merge landed; deleting what it replaces did not
    manifest = {"target": "part-compacted-killed.parquet", "replaces": [name]}
    with s3.open_output_stream(f"{folder}/_compaction-killed.json") as stream:
        stream.write(json.dumps(manifest).encode())

    assert build_warehouse(config).failed_tests == []
    assert {table: rows(config, table) for table in MARTS[:4]} == before
    with lake_lock(storage):
        report = compact_lake(storage, "after-kill")
    assert report.leftovers_removed == 1  # rolled forward: the replaced file is gone
    assert not storage.exists(committed)
    assert storage.hidden_files("_compaction-", ".json") == []
    # an upload younger than an hour may still be in flight elsewhere: left alone
    assert [p.rpartition("/")[2] for p in storage.temporary_files()] == [
        ".tmp-part-killed.parquet.partial"
    ]
    assert build_warehouse(config).failed_tests == []
    assert {table: rows(config, table) for table in MARTS[:4]} == before


async def test_a_new_prefix_is_marked_by_an_ingest_and_a_missing_one_refused_by_a_build(
    make_sim: Callable[..., Sim], tmp_path: Path, s3_bucket: str
) -> None:
    with pytest.raises(LakeLocationError, match=r"/nothing-here is not a poolbooks lake \(no such"):
        open_lake(f"s3://{s3_bucket}/nothing-here")
    config = await books(make_sim(n_accounts=1, days=10), tmp_path, f"s3://{s3_bucket}/lake")
    storage = LakeStorage(config.lake)
    marker = json.loads(storage.read_bytes(storage.path(MARKER_NAME)))
    assert marker["format"] == "poolbooks-lake" and marker["version"] == 1
    moved = dataclasses.replace(config, lake=f"s3://{s3_bucket}/moved")
    with pytest.raises(LakeLocationError, match=f"lake: s3://{s3_bucket}/moved is not a poolbooks"):
        build_warehouse(moved)
