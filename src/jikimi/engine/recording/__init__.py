"""jikimi.engine.recording — record live cameras into whole, video-only segments. Pure engine: no Django.

    RecorderSupervisor  runs many cameras, one worker thread each; restarts a failed one; keeps and
                        reports each camera's state (connecting, recording, reconnecting, failed, stopped)
    CameraRecorder      one camera: pull RTSP (over TCP) or HTTP/HLS with PyAV, cut by remuxing at
                        keyframes (default 60 s), drop audio and say so (법 제25조⑤, R13), date segments
                        in wall-clock UTC, reconnect with back-off and report the gap
    LiveCutter          a live stream's packets → `jikimi.engine.footage.Segment`s, muxed in memory
    StreamMeter         per segment: frame rate, bitrate and the camera's clock against ours, with the
                        camera's own baseline; `stream_faults` judges them against `StreamLimits`
    RecordingSink       what receives segments, states and gaps; the vault's sink passes each segment
                        to `jikimi.engine.footage.store_segment` (encrypt, store atomically, index row)

A segment leaves the recorder only when it is whole: a process killed mid-segment loses that segment
and nothing else, and never hands over a partial one.
"""

from jikimi.engine.recording.camera import Backoff, CameraRecorder, CameraSource
from jikimi.engine.recording.cutter import LiveCutter
from jikimi.engine.recording.errors import RecordingError, SourceUnusable
from jikimi.engine.recording.events import CameraState, CameraStatus, Gap, RecordedSegment, RecordingSink
from jikimi.engine.recording.meter import StreamLimits, StreamMeter, StreamStats, stream_faults
from jikimi.engine.recording.supervisor import DEFAULT_RESTART_BACKOFF, RecorderSupervisor

__all__ = [
    "DEFAULT_RESTART_BACKOFF",
    "Backoff",
    "CameraRecorder",
    "CameraSource",
    "CameraState",
    "CameraStatus",
    "Gap",
    "LiveCutter",
    "RecordedSegment",
    "RecorderSupervisor",
    "RecordingError",
    "RecordingSink",
    "SourceUnusable",
    "StreamLimits",
    "StreamMeter",
    "StreamStats",
    "stream_faults",
]
