"""Plain file operations on a lake location, over a pyarrow filesystem: list, read, write
atomically, delete. Which files readers read is decided above, in `readable.py`.

On a local folder, what readers do (list, look, read) goes through the standard library, and
pyarrow is imported only to write: the warehouse build and the other readers of a local lake
start without it (0.1-0.3 s)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from poolbooks.lake.errors import LakeLocationError

if TYPE_CHECKING:
    import pyarrow.fs as pafs

# what a path is, as `LakeStorage.kind` says
PathKind = Literal["file", "directory", "missing", "other"]

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
        self._fs: pafs.FileSystem | None = None
        self.is_local = not ("://" in location and not location.startswith("file://"))
        if self.is_local:
            root = str(Path(location.removeprefix("file://")).absolute())
        else:
            import pyarrow.fs as pafs

            try:
                self._fs, root = pafs.FileSystem.from_uri(location)
            except (ValueError, OSError) as exc:  # pyarrow's ArrowInvalid is a ValueError
                raise LakeLocationError(_cannot_open(location, exc)) from None
        self.root = root.rstrip("/")

    def __repr__(self) -> str:
        return f"LakeStorage({self.location!r})"

    @property
    def fs(self) -> pafs.FileSystem:
        """The pyarrow filesystem (a local folder's is made, and pyarrow imported, on first
        use: by a writer, or a reader of Parquet through Arrow)."""
        if self._fs is None:
            import pyarrow.fs as pafs

            self._fs = pafs.LocalFileSystem()
        return self._fs

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
        return [path for path, _ in self._files_below(self.path(prefix))]

    def hidden_files(self, name_prefix: str, suffix: str) -> list[str]:
        """Bookkeeping files (manifests) anywhere in the lake, which readers never list."""
        return sorted(
            path
            for path, name in self._files_below(self.root)
            if name.startswith(name_prefix) and name.endswith(suffix)
        )

    def temporary_files(self) -> list[str]:
        return [path for path, name in self._files_below(self.root) if name.startswith(TEMP_PREFIX)]

    def kind(self, path: str) -> PathKind:
        """Whether `path` is a file, a folder, or nothing."""
        if self.is_local:
            if os.path.isfile(path):
                return "file"
            if os.path.isdir(path):
                return "directory"
            return "missing" if not os.path.lexists(path) else "other"
        import pyarrow.fs as pafs

        kinds: dict[Any, PathKind] = {
            pafs.FileType.File: "file",
            pafs.FileType.Directory: "directory",
            pafs.FileType.NotFound: "missing",
        }
        return kinds.get(self.fs.get_file_info(path).type, "other")

    def entries(self, folder: str) -> list[tuple[str, bool]]:
        """The names in `folder` (not below it), each with whether it is a folder; none when
        it is missing."""
        if self.is_local:
            try:
                with os.scandir(folder) as found:
                    return [(entry.name, entry.is_dir()) for entry in found]
            except (FileNotFoundError, NotADirectoryError):
                return []
        import pyarrow.fs as pafs

        selector = pafs.FileSelector(folder, recursive=False, allow_not_found=True)
        return [
            (info.base_name, info.type == pafs.FileType.Directory)
            for info in self.fs.get_file_info(selector)
        ]

    def _files_below(self, folder: str) -> Iterator[tuple[str, str]]:
        """Every file below `folder`, at any depth: its path and its name."""
        if self.is_local:
            for parent, _, names in os.walk(folder):
                for name in names:
                    path = f"{parent}/{name}"
                    if os.path.isfile(path):
                        yield path, name
            return
        import pyarrow.fs as pafs

        selector = pafs.FileSelector(folder, recursive=True, allow_not_found=True)
        for info in self.fs.get_file_info(selector):
            if info.type == pafs.FileType.File:
                yield info.path, info.base_name

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
        return self.kind(path) == "file"

    def delete(self, path: str) -> None:
        self.fs.delete_file(path)

    def read_bytes(self, path: str) -> bytes:
        if self.is_local:
            return Path(path).read_bytes()
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
