"""What the room's actions share: the refusal they raise and who may act in a control centre."""

from __future__ import annotations

from typing import Any, cast

from jikimi.accounts.models import RoleGrant, User
from jikimi.accounts.permissions import (
    PERMISSION_LABELS,
    Permission,
    has_permission,
    institutions_for,
    roles_with,
)
from jikimi.inventory.models import Institution
from jikimi.lib.input_limits import check_printable


class RoomError(ValueError):
    """A step refused as asked; nothing was saved. `field` names the form field at fault, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def holds(user: Any, permission: Permission, institution: Institution, *, whole: bool = False) -> bool:
    """`permission` in `institution`: anywhere in it, or (whole) for the institution as a whole."""
    if whole:
        return has_permission(user, permission, institution=institution)
    return institutions_for(user, permission).filter(pk=institution.pk).exists()


def ensure(user: Any, permission: Permission, institution: Institution, *, whole: bool = False) -> User:
    """The acting person, if they hold `permission` in `institution`; RoomError otherwise."""
    if user is None or not holds(user, permission, institution, whole=whole):
        raise RoomError(f"{PERMISSION_LABELS[permission]} 권한이 없습니다")
    return cast(User, user)


def is_room_staff(user: Any, institution: Institution) -> bool:
    """업무담당자 of the centre (오산시 지침 제22조①): an active account holding a grant, in this
    institution, of a role that works in or runs the room."""
    if user is None or not user.is_active:
        return False
    roles = set(roles_with(Permission.WORK_CONTROL_ROOM)) | set(roles_with(Permission.MANAGE_CONTROL_ROOM))
    return RoleGrant.objects.filter(
        user=user, institution=institution, revoked_at__isnull=True, role__in=roles
    ).exists()


def text(value: str, field: str, label: str, longest: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if len(value) > longest:
        raise RoomError(f"{label}은(는) {longest}자까지 쓸 수 있습니다 (지금 {len(value)}자)", field)
    try:
        check_printable(value)
    except ValueError as error:
        raise RoomError(f"{label}: {error}", field) from None
    if required and not value:
        raise RoomError(f"{label}을(를) 입력하세요", field)
    return value
