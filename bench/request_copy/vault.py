"""The vault side of the bench: a scratch institution, one device, the footage ingested, a window out.

Runs inside a Django set up on a scratch JIKIMI_DATA_DIR (SQLite) and footage store, as the vault's
tests and bench/vault do. ``export_window`` decrypts the window's segments and joins them into one
MP4 without re-encoding; when the vault's own export (jikimi.vault.export.export_window) is there,
the bench uses that instead.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from jikimi.audit.context import Actor

ACTOR = Actor(user=None, label="벤치마크", client_address="bench")


def setup_device() -> Any:
    from jikimi.accounts.testing import make_group
    from jikimi.vault.actions.devices import add_device

    group = make_group("교통행정과", "bench-request", recording_hours="24시간", retention="30일")
    return add_device(ACTOR, group, "정문 1번")


def ingest(device: Any, clip: Path, start: datetime) -> int:
    from jikimi.vault.actions.ingest import ingest as vault_ingest

    return vault_ingest(ACTOR, device, clip, start, source_label=clip.name).segments


def export_window(device: Any, start: datetime, end: datetime, target: Path) -> Path:
    """The device's footage in [start, end) as one MP4 (decrypted, hashes checked, not re-encoded)."""
    try:
        from jikimi.vault import export  # type: ignore[attr-defined]
    except ImportError:
        export = None
    if export is not None and hasattr(export, "export_window"):
        return Path(export.export_window(ACTOR, device, start, end, target))  # pragma: no cover
    from jikimi.vault.models import Segment
    from jikimi.vault.playback import segment_plaintext

    segments = Segment.objects.filter(device=device, start__lt=end, end__gt=start).order_by("start")
    with av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        stream = None
        for segment in segments:
            with av.open(io.BytesIO(segment_plaintext(segment))) as src:
                video = src.streams.video[0]
                if stream is None:
                    stream = out.add_stream_from_template(video)
                    stream.time_base = video.time_base
                tb = video.time_base or Fraction(1, 90000)
                # Each segment's timestamps start at its own zero: place it at its start in the window.
                shift = round((segment.start - start).total_seconds() / tb)
                for packet in src.demux(video):
                    if packet.dts is None:
                        continue
                    packet.pts = (packet.pts or 0) + shift
                    packet.dts += shift
                    packet.stream = stream
                    out.mux(packet)
    return target


def window_of(device: Any) -> tuple[datetime, datetime]:
    from jikimi.vault.models import Segment

    first = Segment.objects.filter(device=device).order_by("start").first()
    last = Segment.objects.filter(device=device).order_by("-end").first()
    assert first is not None and last is not None
    return first.start, last.end + timedelta(0)
