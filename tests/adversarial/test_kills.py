"""Kills: SIGKILL a build or a compaction at several moments; the published warehouse is the
old one or the new one, readers never see a partial or temporary file, and a re-run gives the
same warehouse as an undisturbed one."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from harness.synthetic_lake import LakeShape, generate_lake, write_config
from harness.warehouse_rows import contents, mart_names
from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage
from tests.lake.test_lake import NOW
from tests.warehouse.handlake import HandLake

pytestmark = [pytest.mark.adversarial, pytest.mark.slow]
POOLBOOKS = str(Path(sys.executable).with_name("poolbooks"))
MARTS = mart_names()


def marts(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    return contents(warehouse, MARTS)


@pytest.fixture(scope="module")
def lake_and_reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A lake with many small snapshot files, and the warehouse an undisturbed build makes."""
    folder = tmp_path_factory.mktemp("kills")
    generate_lake(folder / "lake", LakeShape(200, 365, snapshot_days=2))
    storage = LakeStorage(str(folder / "lake"))
    hand = HandLake(folder)
    for run in range(40):  # forty small snapshot runs: work for a compaction
        hand.snapshot("hashrate", f"acct{run % 200:05d}", at=NOW, shares_15m_hs=1e15 + run)
    assert len(readable_files(storage, "hashrate").paths) > 40
    config = write_config(folder)
    subprocess.run([POOLBOOKS, "build", "--config", str(config)], check=True, capture_output=True)
    return folder, marts(folder / "warehouse.duckdb")


def kill_after(command: list[str], seconds: float) -> None:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    process.wait()


def fresh_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source / "lake", target / "lake")
    shutil.copy(source / "warehouse.duckdb", target / "warehouse.duckdb")
    return write_config(target)


@pytest.mark.parametrize("moment", [0.3, 0.9, 1.6])
def test_a_killed_build_leaves_the_old_warehouse_and_a_rerun_the_same_one(
    lake_and_reference: tuple[Path, Any], tmp_path: Path, moment: float
) -> None:
    source, reference = lake_and_reference
    config = fresh_copy(source, tmp_path)
    kill_after([POOLBOOKS, "build", "--config", str(config)], moment)
    assert marts(tmp_path / "warehouse.duckdb") == reference  # old or new: both are whole
    subprocess.run([POOLBOOKS, "build", "--config", str(config)], check=True, capture_output=True)
    assert marts(tmp_path / "warehouse.duckdb") == reference
    assert not list(tmp_path.glob(".*building*"))


@pytest.mark.parametrize("moment", [0.15, 0.5, 1.0])
def test_a_killed_compaction_loses_and_doubles_nothing(
    lake_and_reference: tuple[Path, Any], tmp_path: Path, moment: float
) -> None:
    source, reference = lake_and_reference
    config = fresh_copy(source, tmp_path)
    kill_after([POOLBOOKS, "compact", "--config", str(config)], moment)
    storage = LakeStorage(str(tmp_path / "lake"))
    subprocess.run([POOLBOOKS, "build", "--config", str(config)], check=True, capture_output=True)
    assert marts(tmp_path / "warehouse.duckdb") == reference  # read mid-way: every row once
    subprocess.run([POOLBOOKS, "compact", "--config", str(config)], check=True, capture_output=True)
    assert storage.temporary_files() == []
    assert storage.hidden_files("_compaction-", ".json") == []
    for dataset in ("earn_history", "hashrate", "worker_stats"):
        files = readable_files(storage, dataset).paths
        folders = [f.rpartition("/")[0] for f in files]
        assert len(folders) == len(set(folders)), dataset  # one file per partition
    subprocess.run([POOLBOOKS, "build", "--config", str(config)], check=True, capture_output=True)
    assert marts(tmp_path / "warehouse.duckdb") == reference
