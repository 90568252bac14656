"""The interface every footage store implements, and the object-name rule they share."""

from __future__ import annotations

import io
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from jikimi.engine.footage.errors import StorageConfigError

_NAME = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9._\-]*(/[A-Za-z0-9_\-][A-Za-z0-9._\-]*)*$")
MAX_NAME = 512


def check_object_name(name: str) -> str:
    """``name`` if it is a valid object name (see the package docstring), else StorageConfigError."""
    if len(name) > MAX_NAME or not _NAME.match(name) or any(part in (".", "..") for part in name.split("/")):
        raise StorageConfigError(
            f"invalid object name {name!r}: use ASCII letters, digits, '.', '_', '-' in '/'-separated parts "
            "that do not start with '.'"
        )
    return name


def check_prefix(prefix: str) -> str:
    if prefix and not re.match(r"^[A-Za-z0-9._\-/]*$", prefix):
        raise StorageConfigError(f"invalid prefix {prefix!r}")
    return prefix


@dataclass(frozen=True)
class StoredObject:
    name: str
    size: int
    location: str  # a URL naming the object: file:///… or s3://bucket/key


def payload_size(data: bytes | BinaryIO, size: int | None) -> int | None:
    """The number of bytes ``put`` will write, when it can be known without reading them."""
    if size is not None:
        return size
    if isinstance(data, bytes | bytearray | memoryview):
        return len(data)
    try:
        if data.seekable():
            here = data.tell()
            end = data.seek(0, io.SEEK_END)
            data.seek(here)
            return end - here
    except (OSError, AttributeError):
        pass
    return None


def as_reader(data: bytes | BinaryIO) -> BinaryIO:
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(data))
    return data


class FootageStore(ABC):
    """Opaque objects by name. Implementations: DirectoryStore, S3Store."""

    url: str

    @abstractmethod
    def put(self, name: str, data: bytes | BinaryIO, *, size: int | None = None) -> StoredObject:
        """Store ``data`` under ``name`` atomically, replacing any object of that name.

        Returns once the bytes are durable; until then, readers see the old object or none, never a
        part. Raises StorageFull before writing anything when the store knows it lacks the space.
        """

    @abstractmethod
    def get_range(self, name: str, start: int = 0, end: int | None = None) -> bytes:
        """Bytes [start, end) of the object (fewer at its end, b"" past it); ObjectNotFound if absent."""

    @abstractmethod
    def size(self, name: str) -> int:
        """The object's size in bytes; ObjectNotFound if absent."""

    @abstractmethod
    def exists(self, name: str) -> bool: ...

    @abstractmethod
    def delete(self, name: str) -> bool:
        """Remove the object; True if it existed. Not destruction: that is deleting the key (R17)."""

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[str]:
        """Names starting with ``prefix``, in lexical order."""

    @abstractmethod
    def free_bytes(self) -> int | None:
        """Free space where objects are written, or None where the store cannot tell (S3)."""

    @abstractmethod
    def check_free_space(self, size: int, name: str = "") -> None:
        """StorageFull if writing ``size`` bytes would leave less free space than the reserve."""

    @abstractmethod
    def location(self, name: str) -> str: ...

    def get(self, name: str) -> bytes:
        return self.get_range(name)

    def reader(self, name: str) -> ReadAtObject:
        """A read_at(offset, length) callable over one object, for `envelope.EnvelopeReader`."""
        return ReadAtObject(self, check_object_name(name))


class ReadAtObject:
    """read_at(offset, length) over one stored object: one ranged GET per call."""

    def __init__(self, store: FootageStore, name: str) -> None:
        self.store, self.name = store, name

    def __call__(self, offset: int, length: int) -> bytes:
        return self.store.get_range(self.name, offset, offset + length)
