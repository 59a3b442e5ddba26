"""Compaction manifests: what a merge replaces, so that one killed midway is finished or
forgotten by the next compaction and, until then, no reader reads a row twice."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from poolbooks.lake.storage import LakeStorage

MANIFEST_PREFIX = "_compaction-"
MANIFEST_SUFFIX = ".json"


@dataclass(frozen=True)
class Manifest:
    """A merge: its target and the files it replaces (full paths), and the manifest itself."""

    path: str
    target: str
    replaces: tuple[str, ...]


def write_manifest(storage: LakeStorage, run_id: str, target: str, files: Sequence[str]) -> str:
    """Before a merge writes its target: name the target and the files it replaces, beside
    them. Returns the manifest's path, to delete once the merge is done."""
    folder = target.rpartition("/")[0]
    path = f"{folder}/{MANIFEST_PREFIX}{run_id}{MANIFEST_SUFFIX}"
    names = [file.rpartition("/")[2] for file in files]
    body = json.dumps({"target": target.rpartition("/")[2], "replaces": names}).encode()
    storage.write_atomic(path, lambda stream: stream.write(body), lambda _: None)
    return path


def is_manifest(path: str) -> bool:
    name = path.rpartition("/")[2]
    return name.startswith(MANIFEST_PREFIX) and name.endswith(MANIFEST_SUFFIX)


def manifests(storage: LakeStorage) -> list[Manifest]:
    """Every manifest in the lake: merges under way, or killed midway."""
    paths = storage.hidden_files(MANIFEST_PREFIX, MANIFEST_SUFFIX)
    return [read_manifest(storage, path) for path in paths]


def read_manifest(storage: LakeStorage, path: str) -> Manifest:
    folder = path.rpartition("/")[0]
    plan = json.loads(storage.read_bytes(path))
    replaces = tuple(f"{folder}/{name}" for name in plan["replaces"])
    return Manifest(path, f"{folder}/{plan['target']}", replaces)


def replaced_files(storage: LakeStorage, listed: Iterable[str]) -> set[str]:
    """Of the manifests among `listed` paths, the files that merges whose target is already
    in place have replaced: readers skip them (the target holds their rows)."""
    replaced: set[str] = set()
    for path in filter(is_manifest, listed):
        try:
            manifest = read_manifest(storage, path)
        except FileNotFoundError:  # the merge finished since: what it replaced is gone
            continue
        if storage.exists(manifest.target):
            replaced.update(manifest.replaces)
    return replaced
