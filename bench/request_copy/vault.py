"""The vault side of the bench: a scratch institution, one device, the footage ingested, a window out.

Runs inside a Django set up on a scratch JIKIMI_DATA_DIR (SQLite) and footage store, as the vault's
tests and bench/vault do. ``export_window`` decrypts the window's segments and joins them into one
MP4 through the vault's own export (jikimi.vault.export.export_window).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

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
    """The device's footage in [start, end) as one MP4 through the vault's own export (decrypted,
    authenticated, remuxed without re-encoding, audited)."""
    from jikimi.vault.export import export_window as vault_export

    exported = vault_export(
        ACTOR,
        device,
        start,
        end,
        target,
        reason="정보주체 열람 청구 (벤치마크)",
        case_reference="2026-열람-0042",
    )
    return Path(exported.path)


def window_of(device: Any) -> tuple[datetime, datetime]:
    from jikimi.vault.models import Segment

    first = Segment.objects.filter(device=device).order_by("start").first()
    last = Segment.objects.filter(device=device).order_by("-end").first()
    assert first is not None and last is not None
    return first.start, last.end + timedelta(0)
