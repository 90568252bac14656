"""Errors of the footage half of the engine (keys, envelope, storage, ingest).

Every message names the object or file and says what is wrong, in one line a person can act on.

    EngineError                         (jikimi.engine.errors)
    ├── InputError                      (jikimi.engine.errors)
    │   └── FootageRejected             probe refused an input file: not a video, truncated, no video
    │                                   stream, unsupported codec, too large. Nothing was produced.
    └── FootageError                    base of everything below
        ├── KeyFileError                the master key file is unsafe (group/world access), malformed,
        │                               or cannot be created
        ├── KeyUnwrapError              a wrapped data key does not open under this master key
        │                               (another master key, another key id, or a modified blob)
        ├── EnvelopeError               an encrypted segment cannot be read back as it was written
        │   ├── HeaderError             not a jikimi envelope, unknown version, or header does not
        │   │   │                       authenticate under the given data key
        │   │   └── WrongKeyError       the header names another key id than the caller expected
        │   └── ChunkError              one chunk fails authentication (bit flip, chunks reordered or
        │       │                       swapped, wrong key); `.chunk` says which
        │       └── TruncatedError      chunks are missing, cut short, or bytes follow the last chunk
        ├── StorageError                the store cannot do what was asked
        │   ├── StorageFull             refused before writing: free space would drop below the reserve
        │   ├── ObjectNotFound          no object by that name
        │   └── StorageConfigError      a storage URL or object name that cannot be used
        └── IngestError                 remuxing failed half-way; whatever had been stored was removed

FootageRejected is an InputError so that a caller handling the masking engine's "unreadable input"
handles ours the same way; it is not a FootageError.
"""

from __future__ import annotations

from jikimi.engine.errors import EngineError, InputError


class FootageError(EngineError):
    """Base of every error the footage engine raises on purpose."""


class FootageRejected(InputError):
    """probe() refused an input file; nothing was produced or stored.

    The message is the engine's, for logs and the command line. `code` names the fault for callers that
    say it in their own words (the vault tells staff in Korean): missing, empty, too_large,
    mp4_index_missing, unreadable, wrong_format, no_video, codec, no_picture_size, demux_failed,
    no_frames, no_keyframe, frames_missing, ends_early, corrupt; `facts` holds its numbers and names.
    """

    def __init__(self, message: str, *, code: str = "", facts: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.facts = dict(facts or {})


class KeyFileError(FootageError):
    """The master key file is unsafe, malformed or cannot be created."""


class KeyUnwrapError(FootageError):
    """A wrapped data key does not open under this master key."""


class EnvelopeError(FootageError):
    """An encrypted segment cannot be read back as it was written."""


class HeaderError(EnvelopeError):
    """Not a jikimi envelope, an unknown version, or a header that does not authenticate."""


class WrongKeyError(HeaderError):
    """The envelope was written under another key id than the caller expected."""


class ChunkError(EnvelopeError):
    """A chunk fails authentication; ``chunk`` is its 0-based index."""

    def __init__(self, message: str, chunk: int) -> None:
        super().__init__(message)
        self.chunk = chunk


class TruncatedError(ChunkError):
    """Chunks are missing or cut short, or bytes follow the final chunk."""


class StorageError(FootageError):
    """The store cannot do what was asked."""


class StorageFull(StorageError):
    """Refused before writing: free space would drop below the configured reserve."""


class ObjectNotFound(StorageError):
    """No object by that name."""


class StorageConfigError(StorageError):
    """A storage URL or object name that cannot be used."""


class IngestError(FootageError):
    """Remuxing failed half-way; objects already stored for this ingest were removed."""
