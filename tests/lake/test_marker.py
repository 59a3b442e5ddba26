"""What is a lake: an ingest creates and marks one; readers refuse any other location in one
line; a lake from before the marker is read as it is and marked by the next ingest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from poolbooks.config import Config, load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.ingest.run import ingest
from poolbooks.lake.errors import LakeLocationError
from poolbooks.lake.marker import MARKER_NAME, create_lake, open_lake
from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage
from tests.conftest import SIM_BASE_URL, Sim

pytestmark = pytest.mark.anyio


def config_at(sim: Sim, folder: Path, lake: Path) -> Config:
    """A config in `folder` whose lake is `lake`."""
    path, environ = write_sim_config(folder, sim.pool, SIM_BASE_URL)
    path.write_text(path.read_text().replace('lake = "data/lake"', f'lake = "{lake}"'))
    return load_config(path, environ)


async def run_ingest(sim: Sim, config: Config) -> None:
    report = await ingest(config, config.accounts, None, client=sim.client())
    assert report.failed == []


def marker(lake: Path) -> dict[str, object]:
    content: dict[str, object] = json.loads((lake / MARKER_NAME).read_text())
    return content


def refusal(location: Path, config: Config) -> str:
    with pytest.raises(LakeLocationError) as info:
        open_lake(str(location), config.source)
    return str(info.value)


@pytest.mark.parametrize("start", ["missing", "empty folder"])
async def test_an_ingest_creates_and_marks_a_new_lake(
    make_sim: Callable[..., Sim], tmp_path: Path, start: str
) -> None:
    sim = make_sim(n_accounts=1, days=10)
    lake = tmp_path / "new" / "lake"
    if start == "empty folder":
        lake.mkdir(parents=True)
    config = config_at(sim, tmp_path, lake)
    await run_ingest(sim, config)
    assert marker(lake)["format"] == "poolbooks-lake"
    assert marker(lake)["version"] == 1
    assert marker(lake)["marked_existing_lake"] is False
    assert "created_at" in marker(lake)
    assert readable_files(open_lake(config.lake, config.source), "earn_history").paths


async def test_readers_refuse_a_missing_path_a_file_and_a_foreign_folder_in_one_line(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    config = config_at(make_sim(n_accounts=1, days=10), tmp_path, tmp_path / "lake")
    toml = tmp_path / "poolbooks.toml"
    (tmp_path / "a-file").write_text("not a lake")
    foreign = tmp_path / "documents"
    (foreign / "photos").mkdir(parents=True)
    (foreign / "notes.txt").write_text("mine")
    (tmp_path / "empty").mkdir()
    assert refusal(tmp_path / "nosuchdir" / "lake", config) == (
        f"config error: lake: {tmp_path}/nosuchdir/lake is not a poolbooks lake (no such "
        f"folder); check `lake` in {toml} or run `poolbooks ingest` to start one"
    )
    assert refusal(tmp_path / "a-file", config) == (
        f"config error: lake: {tmp_path}/a-file is not a poolbooks lake (a file, not a folder); "
        f"check `lake` in {toml}"
    )
    assert refusal(tmp_path / "a-file" / "lake", config) == (
        f"config error: lake: {tmp_path}/a-file/lake is not a poolbooks lake ({tmp_path}/a-file "
        f"is a file); check `lake` in {toml}"
    )
    assert refusal(foreign, config) == (
        f"config error: lake: {foreign} is not a poolbooks lake (a folder of other files: "
        f"notes.txt, photos/, with no {MARKER_NAME}); check `lake` in {toml}"
    )
    assert refusal(tmp_path / "empty", config) == (
        f"config error: lake: {tmp_path}/empty is not a poolbooks lake (an empty folder); "
        f"check `lake` in {toml} or run `poolbooks ingest` to start one"
    )
    assert not (tmp_path / "nosuchdir").exists()  # reading made nothing
    assert not (tmp_path / "empty" / MARKER_NAME).exists()


async def test_an_ingest_refuses_a_file_and_a_foreign_folder_and_writes_nothing(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=1, days=10)
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    (tmp_path / "a-file").write_text("not a lake")
    for location, reason in [
        (foreign, f"a folder of other files: notes.txt, with no {MARKER_NAME}"),
        (tmp_path / "a-file", "a file, not a folder"),
    ]:
        config = config_at(sim, tmp_path, location)
        with pytest.raises(LakeLocationError) as info:
            await run_ingest(sim, config)
        assert str(info.value).startswith(
            f"config error: lake: {location} is not a poolbooks lake ({reason}); check `lake` in"
        )
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert (tmp_path / "a-file").read_text() == "not a lake"


async def test_a_lake_from_before_the_marker_is_read_and_then_marked_by_the_next_ingest(
    make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=1, days=10)
    lake = tmp_path / "lake"
    config = config_at(sim, tmp_path, lake)
    await run_ingest(sim, config)
    (lake / MARKER_NAME).unlink()  # as every lake was before markers
    files = readable_files(open_lake(config.lake), "earn_history").paths
    assert len(files) == 1 and not (lake / MARKER_NAME).exists()  # a reader only reads
    sim.pool.advance(days=1)
    await run_ingest(sim, config)
    assert marker(lake)["marked_existing_lake"] is True
    assert len(readable_files(open_lake(config.lake), "earn_history").paths) == 2


def test_a_stray_file_beside_the_datasets_makes_a_folder_foreign(tmp_path: Path) -> None:
    (tmp_path / "earn_history").mkdir()
    (tmp_path / "report.html").write_text("<html>")
    with pytest.raises(LakeLocationError, match=r"other files: report.html, with no"):
        open_lake(str(tmp_path))
    (tmp_path / "report.html").unlink()
    assert open_lake(str(tmp_path)).root == str(tmp_path)


def test_a_marker_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    create_lake(str(tmp_path))
    body = {**marker(tmp_path), "version": 2}
    (tmp_path / MARKER_NAME).write_text(json.dumps(body))
    with pytest.raises(LakeLocationError, match="has version 2; this poolbooks reads up to 1"):
        open_lake(str(tmp_path))
    with pytest.raises(LakeLocationError, match="has version 2"):
        create_lake(str(tmp_path))


def test_a_given_storage_is_checked_like_a_location(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path / "lake"))
    with pytest.raises(LakeLocationError, match=r"\(no such folder\); check the `lake` setting"):
        open_lake(storage)
    assert create_lake(storage) is storage
    assert open_lake(storage.root).root == storage.root
