"""Plain file operations on a lake location, over a pyarrow filesystem: list, read, write
atomically, delete. Which files readers read is decided above, in `readable.py`."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.fs as pafs

from poolbooks.lake.errors import LakeLocationError

TEMP_PREFIX = ".tmp-"
STALE_TEMPORARY_SECONDS = 3600
PARQUET_SUFFIX = ".parquet"
PAGES_SUFFIX = ".jsonl.gz"


class LakeStorage:
    """A lake location (a folder today; any pyarrow filesystem URI later) and its files.

    Files are written under a temporary name in their final folder and renamed into place
    only after a check, so a reader listing `*.parquet` never sees a partial file.
    """

    def __init__(self, location: str) -> None:
        self.location = location
        if "://" in location and not location.startswith("file://"):
            try:
                filesystem, root = pafs.FileSystem.from_uri(location)
            except (ValueError, OSError) as exc:  # pyarrow's ArrowInvalid is a ValueError
                raise LakeLocationError(_cannot_open(location, exc)) from None
        else:
            filesystem = pafs.LocalFileSystem()
            root = str(Path(location.removeprefix("file://")).absolute())
        self.fs: pafs.FileSystem = filesystem
        self.root = root.rstrip("/")

    def __repr__(self) -> str:
        return f"LakeStorage({self.location!r})"

    @property
    def is_local(self) -> bool:
        return isinstance(self.fs, pafs.LocalFileSystem)

    @property
    def shown(self) -> str:
        """The location as messages name it: a folder's absolute path, a URI without any
        `user:password@` it carries."""
        return self.root if self.is_local else _without_credentials(self.location)[0]

    def path(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def write_atomic(
        self,
        final_path: str,
        write: Callable[[Any], None],
        verify: Callable[[str], None],
    ) -> None:
        """Write through `write(stream)` to a temporary name, `verify(path)` it, rename it."""
        folder, _, name = final_path.rpartition("/")
        self.fs.create_dir(folder, recursive=True)
        temporary = f"{folder}/{TEMP_PREFIX}{name}.partial"  # never matches *.parquet
        try:
            with self.fs.open_output_stream(temporary, compression=None) as stream:
                write(stream)
            verify(temporary)
            self.fs.move(temporary, final_path)
        except BaseException:
            self._delete_quietly(temporary)
            raise

    def relative(self, path: str) -> str:
        return path.removeprefix(self.root + "/")

    def list_files(self, prefix: str) -> list[str]:
        """Every file below `prefix`, temporaries and bookkeeping included; which of them
        readers read is `readable.readable_files`'s to say."""
        selector = pafs.FileSelector(self.path(prefix), recursive=True, allow_not_found=True)
        return [info.path for info in self.fs.get_file_info(selector) if info.is_file]

    def hidden_files(self, name_prefix: str, suffix: str) -> list[str]:
        """Bookkeeping files (manifests) anywhere in the lake, which readers never list."""
        selector = pafs.FileSelector(self.root, recursive=True, allow_not_found=True)
        return sorted(
            info.path
            for info in self.fs.get_file_info(selector)
            if info.type == pafs.FileType.File
            and info.base_name.startswith(name_prefix)
            and info.base_name.endswith(suffix)
        )

    def temporary_files(self) -> list[str]:
        selector = pafs.FileSelector(self.root, recursive=True, allow_not_found=True)
        return [
            info.path
            for info in self.fs.get_file_info(selector)
            if info.type == pafs.FileType.File and info.base_name.startswith(TEMP_PREFIX)
        ]

    def safe_to_clean(self, paths: list[str]) -> list[str]:
        """Of what killed writers may have left, what a writer holding the lock may remove:
        all of it on a local disk; on an object store, where no lock spans machines, only what
        is older than an hour, so another writer's work in flight is never pulled away."""
        if self.is_local:
            return paths
        cutoff = time.time() - STALE_TEMPORARY_SECONDS
        infos = self.fs.get_file_info(paths)
        return [i.path for i in infos if i.mtime is not None and i.mtime.timestamp() < cutoff]

    def remove_temporary_files(self) -> int:
        """Delete what killed writers left behind; call only while holding the lake lock.

        On an object store there is no lock (see the lake's README): only temporaries older
        than an hour are taken, so a writer's in-flight upload is never pulled from under it.
        """
        leftovers = self.safe_to_clean(self.temporary_files())
        for path in leftovers:
            self._delete_quietly(path)
        return len(leftovers)

    def exists(self, path: str) -> bool:
        return bool(self.fs.get_file_info(path).type == pafs.FileType.File)

    def delete(self, path: str) -> None:
        self.fs.delete_file(path)

    def read_bytes(self, path: str) -> bytes:
        with self.fs.open_input_stream(path, compression=None) as stream:
            data: bytes = stream.read()
        return data

    def local_path(self, path: str) -> Path | None:
        """The path on this machine's disk, for tools that read files directly."""
        return Path(path) if self.is_local else None

    def _delete_quietly(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError, OSError):
            self.fs.delete_file(path)


def _without_credentials(location: str) -> tuple[str, str]:
    """A URI without its `user:password@`, and what was taken out."""
    scheme, _, rest = location.partition("://")
    authority, slash, path = rest.partition("/")
    credentials, _, host = authority.rpartition("@")
    return f"{scheme}://{host}{slash}{path}", credentials


def _cannot_open(location: str, exc: Exception) -> str:
    """Why a lake URI could not be opened, without any `user:password@` it carries."""
    shown, credentials = _without_credentials(location)
    reason = (str(exc).splitlines() or [""])[0].replace(location, shown)
    if any(part and part in reason for part in credentials.split(":")):
        reason = type(exc).__name__
    return f"cannot open {shown}: {reason}"
