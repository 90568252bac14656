"""Reading footage back for a viewing: decrypt a segment, authenticated chunk by chunk.

A modified or truncated ciphertext fails authentication (engine.footage.envelope) or does not match the
index's plaintext SHA-256; either way nothing of it is served (R41: stored files are protected).
"""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.utils import timezone

from jikimi.engine.footage import EnvelopeError, decrypt_stream
from jikimi.vault import keyring
from jikimi.vault.models import Segment, Viewing


class FootageDamaged(ValueError):
    """The stored segment is not what was stored; it is not served."""


def viewing_segments(viewing: Viewing) -> QuerySet[Segment]:
    return Segment.objects.filter(
        device=viewing.device,
        start__lt=viewing.end,
        end__gt=viewing.start,
        day_key__wrapped_key__isnull=False,
    ).order_by("start")


def viewing_is_open(viewing: Viewing, user: object) -> bool:
    return viewing.user_id == getattr(user, "pk", None) and viewing.expires_at > timezone.now()


def segment_plaintext(segment: Segment) -> bytes:
    """The segment's fragmented MP4, or FootageDamaged if the ciphertext was altered."""
    key = keyring.unwrap(segment.day_key.wrapped_key, segment.day_key.key_id)
    out = io.BytesIO()
    try:
        info = decrypt_stream(keyring.footage_store().reader(segment.object_name), out, key)
    except EnvelopeError as error:
        raise FootageDamaged(
            f"영상 조각 {segment.object_name}이(가) 변조되었거나 잘려 재생하지 않습니다: {error}"
        ) from error
    if info.plaintext_sha256 != segment.plaintext_sha256:
        raise FootageDamaged(f"영상 조각 {segment.object_name}의 내용이 색인과 달라 재생하지 않습니다")
    return out.getvalue()
