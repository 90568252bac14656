"""Errors the engine raises. Each carries one line a person can act on.

    EngineError
    ├── InputError        the input is not a readable video (not a video, truncated, no video stream)
    ├── SpecError         the mask spec file is unreadable or invalid
    ├── ModelError        a detector model is missing and cannot be prepared
    └── PackageError      an export package cannot be built
VerificationFailed is not an EngineError: `verify` returns it as a result, it never aborts.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class InputError(EngineError):
    """The input footage cannot be read as a complete video."""


class SpecError(EngineError):
    """The mask spec cannot be read or does not validate."""


class ModelError(EngineError):
    """A detector model is missing or cannot be prepared."""


class PackageError(EngineError):
    """An export package cannot be built."""
