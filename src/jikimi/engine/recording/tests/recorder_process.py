"""A recorder in a process of its own, storing through the vault's real path, to be killed by a test.

    python -m jikimi.engine.recording.tests.recorder_process URL STORE_DIR KEY_HEX

Each segment is encrypted and stored with `store_segment` into a DirectoryStore, then its index row
is printed as one JSON line: the test kills the process with SIGKILL after a row and checks that
the store holds exactly the objects whose rows were printed, every one whole.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC

from jikimi.engine.footage.ingest import store_segment
from jikimi.engine.footage.keys import DataKey
from jikimi.engine.footage.segmenter import Segment
from jikimi.engine.footage.storage import DirectoryStore
from jikimi.engine.recording import Backoff, CameraRecorder, CameraSource, CameraStatus, Gap


class StoringSink:
    def __init__(self, store: DirectoryStore, key: DataKey) -> None:
        self.store, self.key = store, key

    def on_segment(self, camera: str, segment: Segment) -> None:
        row = store_segment(
            self.store, segment, device=camera, key_for_day=lambda day: self.key, day_zone=UTC
        )
        print(
            json.dumps({"name": row.name, "sha256": row.plaintext_sha256, "frames": row.frames}), flush=True
        )

    def on_state(self, status: CameraStatus) -> None:
        pass

    def on_gap(self, gap: Gap) -> None:
        pass


def main() -> None:
    url, root, key_hex = sys.argv[1:4]
    sink = StoringSink(DirectoryStore(root), DataKey("day/cam1/test", bytes.fromhex(key_hex)))
    camera = CameraSource("cam1", url, segment_seconds=2, backoff=Backoff(initial=0.2, maximum=1, jitter=0))
    CameraRecorder(camera, sink).run(threading.Event())


if __name__ == "__main__":
    main()
