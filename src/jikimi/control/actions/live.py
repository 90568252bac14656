"""The live wall's actions: saving an operator's layout, and opening a live viewing (audited, R41).

A live viewing is audited like a playback: who (the account), which cameras (one entry per camera, so
that each entry is scoped to its camera's group, R36), when, from where (the client address), and under
which hours (오산시 지침 제19조②: out-of-hours public-interest monitoring is recorded as such). It lasts
one shift at most (제21조①: operators work in shifts); watching again after it opens a new one.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import Entry, record, record_many
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.control.live_queries import live_state, may_watch
from jikimi.control.models import LiveViewing, WallLayout
from jikimi.control.models.wall import WALL_SIZES
from jikimi.inventory.models import Device
from jikimi.rules.live_monitoring import LiveHours

LIVE_VIEWING_LIFETIME = timedelta(hours=12)


class LiveRefused(ValueError):
    """The wall cannot be opened or saved as asked; the message says why (in Korean)."""


def _check_size(size: int, count: int) -> None:
    if size not in WALL_SIZES:
        raise LiveRefused(f"화면 분할은 {', '.join(map(str, WALL_SIZES))} 중 하나입니다")
    if count > size:
        raise LiveRefused(f"{size}분할 화면에는 기기를 {size}대까지 놓을 수 있습니다")


def save_layout(actor: Actor, name: str, size: int, tiles: list[Device | None]) -> WallLayout:
    """Save the actor's layout `name`: `size` tiles, each a camera he may watch or empty."""
    if actor.user is None:
        raise LiveRefused("로그인한 사람만 관제 화면을 저장할 수 있습니다")
    _check_size(size, len([t for t in tiles if t is not None]))
    for device in tiles:
        if device is not None and not may_watch(actor.user, device):
            raise LiveRefused(f"{device.name}: 실시간 관제 권한이 없는 기기입니다")
    pks = [device.pk if device is not None else None for device in tiles[:size]]
    pks += [None] * (size - len(pks))
    name = " ".join(name.split())[:60] or "기본"
    with transaction.atomic():
        layout, _ = WallLayout.objects.update_or_create(
            user=actor.user, name=name, defaults={"size": size, "tiles": pks}
        )
        record(
            actor,
            AuditEvent.CONTROL_SAVE_WALL_LAYOUT,
            layout,
            details={"layout_name": name, "layout": size, "tiles": pks},
            scope=None,
        )
    return layout


def open_live_viewing(actor: Actor, devices: list[Device], *, size: int, replay: bool = False) -> LiveViewing:
    """Open the wall on `devices` (or one camera full-size with its last minutes, `replay`)."""
    if actor.user is None:
        raise LiveRefused("로그인한 사람만 실시간 관제를 할 수 있습니다")
    if not devices:
        raise LiveRefused("관제할 기기를 하나 이상 고르세요")
    _check_size(size, len(devices))
    states = []
    for device in devices:
        if not may_watch(actor.user, device):
            raise LiveRefused(f"{device.name}: 실시간 관제 권한이 없는 기기입니다")
        state = live_state(device)
        if not state.watchable:
            raise LiveRefused(f"{device.name}: {state.label}")  # 오산시 지침 제19조②
        states.append(state)
    with transaction.atomic():
        viewing = LiveViewing.objects.create(
            user=actor.user,
            size=size,
            replay=replay,
            off_hours_devices=[s.device.pk for s in states if s.hours is LiveHours.OFF_HOURS],
            client_address=actor.client_address[:100],
            expires_at=timezone.now() + LIVE_VIEWING_LIFETIME,
        )
        viewing.devices.set(devices)
        record_many(
            actor,
            [
                Entry(
                    AuditEvent.CONTROL_WATCH_LIVE,
                    state.device,
                    reason="야간·주말 공익 관제 (오산시 지침 제19조②)"
                    if state.hours is LiveHours.OFF_HOURS
                    else "실시간 관제 (오산시 지침 제19조①)",
                    details={
                        "live_viewing": viewing.pk,
                        "device": state.device.pk,
                        "layout": size,
                        "replay": replay,
                        "live_hours": state.hours.value,
                    },
                )
                for state in states
            ],
        )
    return viewing


def viewing_is_open(viewing: LiveViewing, user: object) -> bool:
    return viewing.user_id == getattr(user, "pk", None) and viewing.expires_at > timezone.now()
