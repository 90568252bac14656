"""Errors of the recorder.

    EngineError                 (jikimi.engine.errors)
    └── RecordingError          base of the recorder's own errors
        └── SourceUnusable      the source answers but cannot be recorded without re-encoding:
                                no video stream, or a codec other than H.264/HEVC. Retrying soon
                                will not help; the camera is reported failed until it is fixed.

Network failures (refused, reset, timed out, end of stream) are not errors here: the recorder
reconnects with back-off and reports a gap.
"""

from __future__ import annotations

from jikimi.engine.errors import EngineError


class RecordingError(EngineError):
    """Base of every error the recorder raises on purpose."""


class SourceUnusable(RecordingError):
    """The source cannot be recorded by remuxing (no video, or an unsupported codec)."""
