"""Damaged footage (R41: stored files are protected — and when one is not what was stored, it is said).

A segment whose stored object is gone, or whose ciphertext fails authentication or its plaintext
SHA-256 (caught at playback, which then answers 409, or by the daily check of the store), is marked
damaged: from then on the existence check reports its span as "손상", not as footage, and playback
leaves it out. Marking it is audited, and alerted to the officers (actions.alerts). The ciphertext is
kept as it is (evidence); retention destroys it with its day like any other.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.lib.clock import SEOUL
from jikimi.lib.intervals import format_interval
from jikimi.vault import keyring
from jikimi.vault.actions.alerts import raise_alert
from jikimi.vault.models import Segment, VaultAlert


def record_damage(actor: Actor, segment: Segment, problem: str) -> bool:
    """Mark `segment` damaged, audit and alert it; False if it was already marked."""
    with transaction.atomic():
        current = (
            Segment.objects.select_for_update()
            .select_related("device__device_group__institution")
            .get(pk=segment.pk)
        )
        if current.damaged_at is not None:
            return False
        current.damaged_at = timezone.now()
        current.damage = problem[:500]
        current.save(update_fields=["damaged_at", "damage"])
        device = current.device
        start, end = current.start.astimezone(SEOUL), current.end.astimezone(SEOUL)
        record(
            actor,
            AuditEvent.VAULT_FOOTAGE_DAMAGED,
            device,
            reason=problem[:300],
            details={
                "segment": current.pk,
                "object": current.object_name,
                "start": current.start,
                "end": current.end,
                "problem": problem[:500],
            },
        )
        raise_alert(
            actor,
            VaultAlert.Kind.FOOTAGE_DAMAGED,
            # The problem names the stored object: it stays in the audit entry and the segment (R41).
            f"기기 '{device.name}'의 {format_interval(start, end)} 영상이 손상되었습니다 "
            "(저장 파일이 없거나 변조됨). 저장소의 접근 기록과 백업을 확인하세요",
            device=device,
        )
    segment.damaged_at, segment.damage = current.damaged_at, current.damage
    return True


def check_stored_files(actor: Actor) -> int:
    """Mark every live segment whose stored object is missing as damaged; returns how many were found.

    One listing of the store against the index (a daily job): a file deleted or moved behind the
    vault's back must not keep reading as footage in the existence check.
    """
    store = keyring.footage_store()
    present = set(store.list(keyring.DAY_PREFIX))
    found = 0
    live = Segment.objects.filter(day_key__wrapped_key__isnull=False, damaged_at__isnull=True).order_by("pk")
    for pk, name in live.values_list("pk", "object_name").iterator():
        if name not in present:
            segment = Segment.objects.get(pk=pk)
            found += record_damage(actor, segment, f"저장 파일 {name}이(가) 없습니다")
    return found
