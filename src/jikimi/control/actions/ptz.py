"""Moving a pan/tilt/zoom camera, and seeing to the alert a move raised (R14).

법 제25조⑤ and 오산시 지침 제18조①, 제29조①: a camera is not turned or zoomed beyond its purpose. So:
- an operator moves a camera to one of the register's approved presets, or by hand (coordinates, or a
  nudge of the joystick) only with a stated reason;
- every move, done or failed, is recorded and audited: who, which camera, the view before and after
  (read back from the camera: what it shows, not what was asked), the reason;
- the view after the move is checked against the approved presets and the privacy zones
  (jikimi.rules.ptz); outside them all, or into a privacy zone, the move carries an alert, audited as
  such, shown on the camera's PTZ page and the control centre's health page until an officer with
  MANAGE_TICKETS records how it was seen to.

The camera is driven before the transaction (a camera's motors cannot be rolled back); its record and
audit entries are then written in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.permissions import Permission, has_permission
from jikimi.audit.actions import Entry, record, record_many
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.control import ptz_onvif
from jikimi.control.models import PtzMove
from jikimi.control.ptz_queries import approved_view, may_operate
from jikimi.inventory.models import PtzCamera, PtzPreset
from jikimi.rules import ptz as rules

MAX_REASON = 500
MAX_NUDGE_SECONDS = 5.0


class PtzRefused(ValueError):
    """The move cannot be made as asked; nothing was sent to the camera. The message says why (Korean)."""


@dataclass(frozen=True)
class Nudge:
    """A joystick's push: a velocity (-1…1 each axis) for some seconds."""

    velocity: rules.Position
    seconds: float


def _reason(reason: str, *, required: bool, default: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON:
        raise PtzRefused(f"사유는 {MAX_REASON}자 이하로 적으세요 ({len(reason)}자)")
    if not reason and required:
        raise PtzRefused(
            "승인된 프리셋 밖으로 움직이려면 사유를 적어야 합니다 (오산시 지침 제18조①: 설치목적 밖의 조작 금지, R14)"
        )
    return reason or default


def move_camera(
    actor: Actor,
    camera: PtzCamera,
    *,
    preset: PtzPreset | None = None,
    position: rules.Position | None = None,
    nudge: Nudge | None = None,
    reason: str = "",
) -> PtzMove:
    """Move `camera` to `preset`, to `position` or by `nudge` (exactly one), and record the move.

    Returns the move (its `error` says when the camera could not be driven, its `alert` when the view
    it ended on is not an approved one). Raises PtzRefused before touching the camera."""
    device = camera.device
    if actor.user is None or not may_operate(actor.user, device):
        raise PtzRefused(f"{device.name}: PTZ 조작 권한이 없는 기기입니다")
    if sum(x is not None for x in (preset, position, nudge)) != 1:
        raise PtzRefused("프리셋, 좌표, 연속 이동 가운데 하나를 고르세요")
    presets, zones = approved_view(device)
    if not presets:
        raise PtzRefused(f"{device.name}: 대장에 이 위치의 승인 프리셋이 없어 조작할 수 없습니다 (R14)")
    target = ptz_onvif.target_for(camera)
    requested = ""
    if preset is not None:
        if preset.location_id != device.location_id:
            raise PtzRefused(f"프리셋 '{preset.name}'은(는) 이 기기 위치의 승인 프리셋이 아닙니다")
        kind = PtzMove.Kind.PRESET
        reason = _reason(reason, required=False, default=f"승인 프리셋 '{preset.name}'(으)로 이동")
        goal = rules.Position(preset.pan, preset.tilt, preset.zoom)
        requested = str(goal)

        def drive() -> rules.Position:
            if preset.camera_preset:
                return ptz_onvif.goto_preset(target, preset.camera_preset)
            return ptz_onvif.absolute_move(target, goal)

    elif position is not None:
        problems = rules.out_of_range(position)
        if problems:
            raise PtzRefused("좌표가 올바르지 않습니다: " + "; ".join(problems))
        kind = PtzMove.Kind.POSITION
        reason = _reason(reason, required=True, default="")
        requested = str(position)

        def drive() -> rules.Position:
            return ptz_onvif.absolute_move(target, position)

    else:
        assert nudge is not None
        if not 0 < nudge.seconds <= MAX_NUDGE_SECONDS:
            raise PtzRefused(f"연속 이동은 0초 초과 {MAX_NUDGE_SECONDS:.0f}초 이하입니다")
        v = nudge.velocity
        if not all(-1.0 <= x <= 1.0 for x in (v.pan, v.tilt, v.zoom)):
            raise PtzRefused("연속 이동 속도는 축마다 -1~1입니다")
        kind = PtzMove.Kind.NUDGE
        reason = _reason(reason, required=True, default="")
        requested = f"속도 팬 {v.pan:+.2f}, 틸트 {v.tilt:+.2f}, 줌 {v.zoom:+.2f}, {nudge.seconds:.1f}초"

        def drive() -> rules.Position:
            return ptz_onvif.continuous_move(target, nudge.velocity, nudge.seconds)

    before: rules.Position | None = None
    after: rules.Position | None = None
    error = ""
    try:
        before = ptz_onvif.status(target)
        after = drive()
    except ptz_onvif.PtzUnavailable as failure:
        error = str(failure)[:300]
    check = rules.check_view(after, presets, zones) if after is not None else None
    alert = check.message() if check is not None and check.alert else ""
    with transaction.atomic():
        move = PtzMove.objects.create(
            device=device,
            user=actor.user,
            at=timezone.now(),
            kind=kind,
            preset_name=preset.name if preset is not None else "",
            reason=reason,
            requested=requested[:100],
            from_pan=before.pan if before else None,
            from_tilt=before.tilt if before else None,
            from_zoom=before.zoom if before else None,
            to_pan=after.pan if after else None,
            to_tilt=after.tilt if after else None,
            to_zoom=after.zoom if after else None,
            matched_preset=check.preset.name if check is not None and check.preset else "",
            error=error,
            alert=alert,
        )
        entries = [
            Entry(
                AuditEvent.CONTROL_MOVE_PTZ,
                move,
                reason=reason,
                details={
                    "ptz_move": move.pk,
                    "device": device.pk,
                    "move_kind": kind.value,
                    "preset_name": move.preset_name,
                    "requested_position": requested,
                    "from_position": move.from_text,
                    "to_position": move.to_text,
                    "matched_preset": move.matched_preset,
                    "privacy_zones_viewed": [z.name for z in check.zones] if check is not None else [],
                    "ptz_error": error,
                },
            )
        ]
        if alert:
            entries.append(
                Entry(
                    AuditEvent.CONTROL_PTZ_ALERT,
                    move,
                    reason=reason,
                    details={
                        "ptz_move": move.pk,
                        "device": device.pk,
                        "to_position": move.to_text,
                        "ptz_alert": alert,
                    },
                )
            )
        record_many(actor, entries)
    return move


# How far a camera may drift between two readings without having been moved (motor play, rounding).
DRIFT = 0.005
OUTSIDE_JIKIMI = "jikimi를 거치지 않고 움직였습니다 (조작자·사유 기록 없음)"


def check_ptz_views(actor: Actor) -> tuple[int, int]:
    """R14: read every PTZ camera's position; one that moved since its last recorded move was moved
    outside jikimi (its own joystick or web page) — recorded as such, with an alert. Returns (read,
    alerts). A camera that does not answer is the health check's business (제27조) and is skipped."""
    read = alerts = 0
    for camera in PtzCamera.objects.filter(device__enabled=True).select_related(
        "device", "device__device_group"
    ):
        device = camera.device
        try:
            now = ptz_onvif.status(ptz_onvif.target_for(camera))
        except ptz_onvif.PtzUnavailable:
            continue
        read += 1
        last = PtzMove.objects.filter(device=device).exclude(to_pan=None).order_by("-at", "-pk").first()
        if last is not None:
            assert last.to_pan is not None and last.to_tilt is not None and last.to_zoom is not None
            known = rules.Position(last.to_pan, last.to_tilt, last.to_zoom)
            if rules.at_preset(now, rules.Preset("", "", known), DRIFT):
                continue
        presets, zones = approved_view(device)
        check = rules.check_view(now, presets, zones)
        if last is None and not check.alert:
            continue  # never moved through jikimi and at an approved view: as installed
        # Never moved through jikimi: only its view is in question, not who moved it.
        alert = (
            check.message() if last is None else " — ".join(x for x in (OUTSIDE_JIKIMI, check.message()) if x)
        )
        with transaction.atomic():
            move = PtzMove.objects.create(
                device=device,
                user=None,
                at=timezone.now(),
                kind=PtzMove.Kind.OBSERVED,
                reason="정기 점검에서 발견 (R14)",
                from_pan=last.to_pan if last else None,
                from_tilt=last.to_tilt if last else None,
                from_zoom=last.to_zoom if last else None,
                to_pan=now.pan,
                to_tilt=now.tilt,
                to_zoom=now.zoom,
                matched_preset=check.preset.name if check.preset else "",
                alert=alert,
            )
            record_many(
                actor,
                [
                    Entry(
                        AuditEvent.CONTROL_MOVE_PTZ,
                        move,
                        reason=move.reason,
                        details={
                            "ptz_move": move.pk,
                            "device": device.pk,
                            "move_kind": move.kind,
                            "from_position": move.from_text,
                            "to_position": move.to_text,
                            "matched_preset": move.matched_preset,
                            "privacy_zones_viewed": [z.name for z in check.zones],
                        },
                    ),
                    Entry(
                        AuditEvent.CONTROL_PTZ_ALERT,
                        move,
                        reason=move.reason,
                        details={
                            "ptz_move": move.pk,
                            "device": device.pk,
                            "to_position": move.to_text,
                            "ptz_alert": alert,
                        },
                    ),
                ],
            )
        alerts += 1
    return read, alerts


def close_alert(actor: Actor, move: PtzMove, note: str) -> PtzMove:
    """Record how the alert of `move` was seen to (the camera back at a preset, or why the view was needed)."""
    if not move.alert_open:
        raise PtzRefused("확인할 경보가 없습니다 (이미 확인했거나 경보가 없는 조작입니다)")
    if actor.user is None or not has_permission(
        actor.user, Permission.MANAGE_TICKETS, device_group=move.device.device_group
    ):
        raise PtzRefused("PTZ 경보를 확인하려면 이 기기 묶음의 유지보수 처리 권한이 필요합니다")
    note = " ".join(note.split())
    if not note:
        raise PtzRefused("확인 내용을 적으세요 (예: 정문 프리셋으로 복귀, 112 신고 건 추적)")
    if len(note) > MAX_REASON:
        raise PtzRefused(f"확인 내용은 {MAX_REASON}자 이하로 적으세요 ({len(note)}자)")
    with transaction.atomic():
        move.alert_closed_at = timezone.now()
        move.alert_closed_by = actor.user
        move.alert_note = note
        move.save(update_fields=["alert_closed_at", "alert_closed_by", "alert_note"])
        record(
            actor,
            AuditEvent.CONTROL_CLOSE_PTZ_ALERT,
            move,
            details={
                "ptz_move": move.pk,
                "device": move.device_id,
                "ptz_alert": move.alert,
                "alert_note": note,
            },
        )
    return move


__all__ = ["Nudge", "PtzRefused", "check_ptz_views", "close_alert", "move_camera"]
