"""A local lake is listed and read with the standard library, not pyarrow: what it finds must be
what pyarrow's own LocalFileSystem finds, and reading a local lake must not import pyarrow."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow.fs as pafs

from harness.synthetic_lake import LakeShape, generate_lake, write_config
from poolbooks.lake.storage import LakeStorage

SHAPE = LakeShape(3, 60, snapshot_days=2)


def tree(root: Path) -> None:
    """Files at several depths, hidden ones, temporaries, an empty folder and a symlink."""
    for relative in [
        "earn_history/fetch_date=2026-11-30/part-1.parquet",
        "earn_history/fetch_date=2026-12-01/part-2.parquet",
        "earn_history/fetch_date=2026-12-01/.tmp-part-3.parquet.partial",
        "earn_history/.manifest-1.json",
        "_journal/commit-1.json",
        "_journal/notes.txt",
        ".poolbooks-lake",
    ]:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(relative.encode())
    (root / "hashrate").mkdir()
    (root / "_journal" / "folder.json").mkdir()
    os.symlink(root / "_journal" / "notes.txt", root / "earn_history" / "link.parquet")


def pyarrow_files(root: str, recursive: bool) -> list[pafs.FileInfo]:
    selector = pafs.FileSelector(root, recursive=recursive, allow_not_found=True)
    return list(pafs.LocalFileSystem().get_file_info(selector))


def test_a_local_lake_is_listed_as_pyarrow_lists_it(tmp_path: Path) -> None:
    tree(tmp_path)
    storage = LakeStorage(str(tmp_path))
    for prefix in ("earn_history", "_journal", "hashrate", "missing"):
        theirs = [i.path for i in pyarrow_files(storage.path(prefix), True) if i.is_file]
        assert sorted(storage.list_files(prefix)) == sorted(theirs), prefix
    files = [i for i in pyarrow_files(storage.root, True) if i.is_file]
    assert storage.temporary_files() == [i.path for i in files if i.base_name.startswith(".tmp-")]
    manifests = sorted(i.path for i in files if i.base_name.startswith(".manifest-"))
    assert storage.hidden_files(".manifest-", ".json") == manifests
    for folder in (storage.root, storage.path("_journal"), storage.path("missing")):
        theirs_entries = sorted(
            (i.base_name, i.type == pafs.FileType.Directory) for i in pyarrow_files(folder, False)
        )
        assert sorted(storage.entries(folder)) == theirs_entries, folder


def test_a_local_path_is_the_kind_pyarrow_says(tmp_path: Path) -> None:
    tree(tmp_path)
    storage = LakeStorage(str(tmp_path))
    kinds = {
        pafs.FileType.File: "file",
        pafs.FileType.Directory: "directory",
        pafs.FileType.NotFound: "missing",
    }
    for relative in ("", "earn_history", ".poolbooks-lake", "earn_history/link.parquet", "nope"):
        path = storage.path(relative) if relative else storage.root
        assert storage.kind(path) == kinds[pafs.LocalFileSystem().get_file_info(path).type], path
    marker = storage.path(".poolbooks-lake")
    assert storage.exists(marker) and not storage.exists(storage.path("hashrate"))
    assert storage.read_bytes(marker) == b".poolbooks-lake"


def test_building_from_a_local_lake_never_imports_pyarrow(tmp_path: Path) -> None:
    generate_lake(tmp_path / "lake", SHAPE)  # written here, with pyarrow
    config = write_config(tmp_path, costs=SHAPE)
    # built in a fresh interpreter, which says which pyarrow modules the build loaded
    script = textwrap.dedent(
        f"""
        import atexit, sys
        loaded = lambda: sorted(m for m in sys.modules if m.split(".")[0] in ("pyarrow", "numpy"))
        atexit.register(lambda: print(loaded()))  # the command line exits through sys.exit
        from poolbooks.cli.app import main
        sys.argv = ["poolbooks", "build", "--config", {str(config)!r}]
        main()
        """
    )
    built = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "data tests: 23/23 passed" in built.stdout
    assert built.stdout.strip().splitlines()[-1] == "[]"
