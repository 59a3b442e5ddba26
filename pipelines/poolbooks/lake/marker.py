"""Whether a location is a poolbooks lake: `open_lake` for readers, `create_lake` (which marks
a new one) for writers."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from poolbooks.lake.errors import LakeLocationError
from poolbooks.lake.journal import JOURNAL_FOLDER
from poolbooks.lake.lock import LOCK_FOLDER
from poolbooks.lake.schemas import COLUMNS, PAGE_ARCHIVES
from poolbooks.lake.storage import LakeStorage

MARKER_NAME = "_poolbooks_lake.json"
MARKER_FORMAT = "poolbooks-lake"
MARKER_VERSION = 1
# What a lake written before the marker holds at its root: datasets and bookkeeping folders.
LAYOUT = frozenset({*COLUMNS, *PAGE_ARCHIVES, JOURNAL_FOLDER, LOCK_FOLDER})
FOREIGN_SHOWN = 3  # entries a refusal names
START_ONE = "run `poolbooks ingest` to start one"
PICK_ANOTHER = "point it at a new or empty folder"


@dataclass(frozen=True)
class Survey:
    """What is at a location: `kind` is marked, legacy (poolbooks' layout, no marker yet),
    missing, blocked (a file on the way to it), empty, file, foreign or bad_marker; `detail`
    says more for the last two and blocked."""

    kind: str
    detail: str = ""

    @property
    def is_lake(self) -> bool:
        return self.kind in ("marked", "legacy")

    @property
    def reason(self) -> str:
        return {
            "missing": "no such folder",
            "empty": "an empty folder",
            "file": "a file, not a folder",
            "foreign": f"a folder of other files: {self.detail}, with no {MARKER_NAME}",
            "blocked": self.detail,
            "bad_marker": f"its {MARKER_NAME} {self.detail}",
        }.get(self.kind, self.kind)


def open_lake(lake: str | LakeStorage, config_file: Path | None = None) -> LakeStorage:
    """The lake for a command that reads it; a LakeLocationError naming the location and what is
    wrong when it is not a poolbooks lake (never an empty lake in its place)."""
    storage = lake if isinstance(lake, LakeStorage) else LakeStorage(lake)
    survey = survey_location(storage)
    if not survey.is_lake:
        new = survey.kind in ("missing", "empty")
        raise _refusal(storage, survey, config_file, START_ONE if new else "")
    return storage


def create_lake(lake: str | LakeStorage, config_file: Path | None = None) -> LakeStorage:
    """The lake for a command that adds data: a missing location or an empty folder is made
    a lake, one written before markers existed is marked; anything else is a LakeLocationError."""
    storage = lake if isinstance(lake, LakeStorage) else LakeStorage(lake)
    survey = survey_location(storage)
    if survey.kind == "marked":
        return storage
    if not survey.is_lake and survey.kind not in ("missing", "empty"):
        raise _refusal(
            storage, survey, config_file, PICK_ANOTHER if survey.kind == "foreign" else ""
        )
    try:
        storage.fs.create_dir(storage.root, recursive=True)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        problem = f"{storage.shown} cannot be made a poolbooks lake ({reason})"
        raise LakeLocationError(f"{problem}; {_check(config_file)}") from None
    _mark(storage, existing=survey.kind == "legacy")
    return storage


def survey_location(storage: LakeStorage) -> Survey:
    """Look at a location without changing it."""
    root = storage.kind(storage.root)
    if root == "missing":
        blocked = _file_on_the_way(storage)
        return Survey("blocked", f"{blocked} is a file") if blocked else Survey("missing")
    if root != "directory":
        return Survey("file")
    marker = storage.path(MARKER_NAME)
    if storage.kind(marker) == "file":
        problem = _marker_problem(storage.read_bytes(marker))
        return Survey("bad_marker", problem) if problem else Survey("marked")
    entries = [(n, d) for n, d in storage.entries(storage.root) if not n.startswith(".")]
    if not entries:
        return Survey("empty")
    foreign = sorted(
        name + ("/" if is_dir else "")
        for name, is_dir in entries
        if not (is_dir and name in LAYOUT)
    )
    if not foreign:
        return Survey("legacy")
    shown = ", ".join(foreign[:FOREIGN_SHOWN])
    more = len(foreign) - FOREIGN_SHOWN
    return Survey("foreign", f"{shown} and {more} more" if more > 0 else shown)


def _marker_problem(body: bytes) -> str | None:
    """What is wrong with a marker's content, or None."""
    try:
        marker = json.loads(body)
    except ValueError:
        return "is not JSON"
    if not isinstance(marker, dict) or marker.get("format") != MARKER_FORMAT:
        return f"does not say format {MARKER_FORMAT!r}"
    version = marker.get("version")
    if not isinstance(version, int) or version > MARKER_VERSION:
        return f"has version {version!r}; this poolbooks reads up to {MARKER_VERSION}"
    return None


def _file_on_the_way(storage: LakeStorage) -> Path | None:
    """A file where a missing local lake's folders would have to be made."""
    if storage.is_local:
        for parent in Path(storage.root).parents:
            if parent.exists():
                return parent if parent.is_file() else None
    return None


def _mark(storage: LakeStorage, existing: bool) -> None:
    body = json.dumps(
        {
            "format": MARKER_FORMAT,
            "version": MARKER_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "marked_existing_lake": existing,
        },
        indent=2,
    ).encode()
    path = storage.path(MARKER_NAME)
    try:
        storage.write_atomic(path, lambda stream: stream.write(body), lambda _: None)
    except OSError:
        if not storage.exists(path):  # else another writer marked it at the same moment
            raise


def _refusal(
    storage: LakeStorage, survey: Survey, config_file: Path | None, other: str
) -> LakeLocationError:
    advice = _check(config_file) + (f" or {other}" if other else "")
    return LakeLocationError(f"{storage.shown} is not a poolbooks lake ({survey.reason}); {advice}")


def _check(config_file: Path | None) -> str:
    return f"check `lake` in {config_file}" if config_file else "check the `lake` setting"
