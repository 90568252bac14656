"""A local directory as the footage store: the embedded default (DESIGN, "Defaults on one machine").

put = temporary file in the object's directory, write, fsync, rename over the name, fsync the
directory. A crash at any point leaves the old object or the new one, plus at worst a ".…tmp" file
that `list` never shows and `sweep_temporary` removes. A recorder filling the disk must fail loudly
before writing, not half-way (R41, and a full disk silently stops recording for every camera), so
`put` refuses when free space would fall below a reserve.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from jikimi.engine.footage.errors import ObjectNotFound, StorageError, StorageFull
from jikimi.engine.footage.storage.base import (
    FootageStore,
    StoredObject,
    as_reader,
    check_object_name,
    check_prefix,
    payload_size,
)
from jikimi.engine.store_marker import STORE_MARKER

DEFAULT_RESERVE_BYTES = 1 << 30
_BLOCK = 1 << 20


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DirectoryStore(FootageStore):
    def __init__(self, root: str | Path, *, reserve_bytes: int = DEFAULT_RESERVE_BYTES) -> None:
        self.root = Path(root).resolve()
        self.reserve_bytes = reserve_bytes
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"{self.root}: cannot create the footage directory ({exc})") from None
        # The engine refuses to write a masked clip or a package in here (masking.output_paths).
        with contextlib.suppress(OSError):
            (self.root / STORE_MARKER).touch(exist_ok=True)
        self.url = self.root.as_uri()

    def __repr__(self) -> str:
        return f"DirectoryStore({str(self.root)!r}, reserve_bytes={self.reserve_bytes})"

    def _path(self, name: str) -> Path:
        return self.root / check_object_name(name)

    def location(self, name: str) -> str:
        return self._path(name).as_uri()

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.root).free

    def check_free_space(self, size: int, name: str = "") -> None:
        free = self.free_bytes()
        if free - size < self.reserve_bytes:
            what = f"writing {name} ({size} bytes)" if name else f"writing {size} bytes"
            raise StorageFull(
                f"{self.root}: {free} bytes free; {what} would leave less than the reserve of "
                f"{self.reserve_bytes} bytes"
            )

    def put(self, name: str, data: bytes | BinaryIO, *, size: int | None = None) -> StoredObject:
        path = self._path(name)
        self.check_free_space(payload_size(data, size) or 0, name)
        created: list[Path] = []
        parent = path.parent
        while not parent.exists():
            created.append(parent)
            parent = parent.parent
        tmp: str | None = None
        try:
            for directory in reversed(created):
                directory.mkdir(mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            written = 0
            with os.fdopen(fd, "wb") as out:
                reader = as_reader(data)
                while block := reader.read(_BLOCK):
                    out.write(block)
                    written += len(block)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
            tmp = None
            # The rename is durable only once the directory is; new directories need their parents'.
            for directory in [path.parent, *(d.parent for d in created)]:
                _fsync_dir(directory)
        except OSError as exc:
            for directory in created:
                with contextlib.suppress(OSError):
                    directory.rmdir()
            if exc.errno == errno.ENOSPC:
                raise StorageFull(
                    f"{self.root}: disk full while writing {name}; nothing was stored"
                ) from None
            raise StorageError(f"{self.root}: cannot store {name} ({exc}); nothing was stored") from None
        finally:
            if tmp is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                for directory in created:
                    with contextlib.suppress(OSError):
                        directory.rmdir()
        return StoredObject(name, written, path.as_uri())

    def get_range(self, name: str, start: int = 0, end: int | None = None) -> bytes:
        path = self._path(name)
        if start < 0 or (end is not None and end < start):
            raise ValueError(f"invalid range [{start}, {end})")
        try:
            with open(path, "rb") as f:
                f.seek(start)
                return f.read() if end is None else f.read(end - start)
        except FileNotFoundError:
            raise ObjectNotFound(f"{self.location(name)}: no such object") from None

    def size(self, name: str) -> int:
        try:
            return self._path(name).stat().st_size
        except FileNotFoundError:
            raise ObjectNotFound(f"{self.location(name)}: no such object") from None

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def delete(self, name: str) -> bool:
        path = self._path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_dir(path.parent)
        return True

    def list(self, prefix: str = "") -> Iterator[str]:
        check_prefix(prefix)
        # Walk only the directory the prefix names; a prefix may end inside a file name.
        start = self.root / prefix.rsplit("/", 1)[0] if "/" in prefix else self.root
        names = []
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = Path(dirpath).relative_to(self.root)
            for filename in filenames:
                if filename.startswith("."):
                    continue  # temporary files of puts in progress or interrupted
                name = filename if rel == Path(".") else f"{rel.as_posix()}/{filename}"
                if name.startswith(prefix):
                    names.append(name)
        yield from sorted(names)

    def sweep_temporary(self, older_than: float = 0.0) -> int:
        """Remove temporary files that interrupted puts left behind; returns how many.

        Only those not modified for `older_than` seconds: a younger one may belong to a put still
        writing (a running ingest or recorder), which would then fail at its rename.
        """
        removed = 0
        cutoff = time.time() - older_than
        for dirpath, _dirnames, filenames in os.walk(self.root):
            for filename in filenames:
                if filename.startswith(".") and filename.endswith(".tmp"):
                    path = Path(dirpath) / filename
                    with contextlib.suppress(FileNotFoundError):
                        if older_than and path.stat().st_mtime > cutoff:
                            continue
                        os.unlink(path)
                        removed += 1
        return removed
