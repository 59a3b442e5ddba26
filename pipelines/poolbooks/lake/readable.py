"""Which lake files readers read: the one place that decides, for the warehouse build, the
lake reader, compaction, reparse and ingest state alike."""

from __future__ import annotations

from dataclasses import dataclass

from poolbooks.lake.journal import pending_files
from poolbooks.lake.manifest import replaced_files
from poolbooks.lake.storage import PARQUET_SUFFIX, LakeStorage

GLOB_SYNTAX = frozenset("*?[]{}")


@dataclass(frozen=True)
class ReadableFiles:
    """A dataset's readable files, sorted; and, when nothing is under way in the dataset, a
    glob that matches exactly them and stays right as later commits add files (DuckDB reads
    a glob faster than a long list). None when only the list is right."""

    paths: list[str]
    glob: str | None = None


def readable_files(
    storage: LakeStorage, dataset: str, suffix: str = PARQUET_SUFFIX
) -> ReadableFiles:
    """The files below `dataset` (a dataset or page archive folder) ending in `suffix` that a
    reader reads: final names only (no temporaries, no bookkeeping), less the new files of a
    commit not yet whole and the files a finished commit replaced (`journal.py`), less the
    files that a merge whose target is in place replaced (`manifest.py`). Every row is thus
    read exactly once, whatever writer was killed where."""
    listed = storage.list_files(dataset)
    final = sorted(path for path in listed if _is_final(path, suffix))
    if not final:
        return ReadableFiles([])
    prefix = storage.path(dataset) + "/"
    skipped = pending_files(storage) | replaced_files(storage, listed)
    hidden = {path for path in skipped if path.startswith(prefix)}
    paths = [path for path in final if path not in hidden]
    settled = not hidden and len(paths) == len(listed)  # nothing but readable files there
    return ReadableFiles(paths, _glob(prefix, paths, suffix) if settled else None)


def _is_final(path: str, suffix: str) -> bool:
    name = path.rpartition("/")[2]
    return name.endswith(suffix) and not name.startswith((".", "_"))


def _glob(prefix: str, paths: list[str], suffix: str) -> str | None:
    """`<prefix>*/*<suffix>` (as many `*/` as folders below it) when every path lies that
    deep and the prefix has no glob syntax in its name."""
    depths = {path.count("/") - prefix.count("/") for path in paths}
    if len(depths) != 1 or GLOB_SYNTAX & set(prefix):
        return None
    return prefix + "*/" * depths.pop() + "*" + suffix
