"""Playback starts only with a stated purpose, and every viewing is in the audit chain (R41, R39).

A viewing is opened for one device and range; its segments may be streamed by the same person for a
short while (VIEWING_LIFETIME). Anything else needs a new viewing, hence a new purpose and entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Device
from jikimi.vault.models import Viewing

VIEWING_LIFETIME = timedelta(hours=2)
MAX_VIEWING_RANGE = timedelta(hours=24)
MIN_PURPOSE_LENGTH = 4


class ViewingRefused(ValueError):
    """A viewing that cannot be opened as asked; the message says why."""


def open_viewing(actor: Actor, device: Device, start: datetime, end: datetime, purpose: str) -> Viewing:
    purpose = " ".join(purpose.split())
    if len(purpose) < MIN_PURPOSE_LENGTH:
        # R41: each viewing records its purpose; a purpose of one word says nothing.
        raise ViewingRefused(
            f"열람 목적을 {MIN_PURPOSE_LENGTH}자 이상 구체적으로 적으세요 (예: 교통사고 경위 확인)"
        )
    if end <= start:
        raise ViewingRefused("열람 구간의 끝이 시작보다 늦어야 합니다")
    if end - start > MAX_VIEWING_RANGE:
        raise ViewingRefused("한 번에 열람할 수 있는 구간은 24시간 이하입니다")
    if actor.user is None:
        raise ViewingRefused("열람은 로그인한 사람만 할 수 있습니다")
    with transaction.atomic():
        viewing = Viewing.objects.create(
            user=actor.user,
            device=device,
            start=start,
            end=end,
            purpose=purpose,
            client_address=actor.client_address[:100],
            expires_at=timezone.now() + VIEWING_LIFETIME,
        )
        record(
            actor,
            AuditEvent.VAULT_VIEW_FOOTAGE,
            device,
            reason=purpose,
            details={"viewing": viewing.pk, "device": device.pk, "start": start, "end": end},
        )
    return viewing
