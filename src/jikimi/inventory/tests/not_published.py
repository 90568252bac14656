"""What R1 (an enabling law) and R16 (a retention reason) share when the institution does not publish
the fact (issue 16): the register file says `null`, which round-trips; editing another field of the group
keeps it not published; the officer records the fact on the group's edit page, audited, and it is
resolved. The tests of each R-number call these with their own field, page ids and words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import export_register
from jikimi.inventory.tests.test_group_pages import edit_data

REGISTERS = Path(__file__).resolve().parents[4] / "registers"
NotPublishedOf = Callable[[models.Institution], list[Any]]


def assert_null_round_trips_byte_for_byte(file: str, field: str, not_published_of: NotPublishedOf) -> None:
    text = (REGISTERS / file).read_text(encoding="utf-8")
    nulls = text.count(f"{field}: null")
    assert nulls > 0
    institution = import_register(Actor.system("test"), text, file).institution
    assert export_register(institution) == text
    # The documented layout too (no kept file): null is written, and reads back as not published.
    models.RegisterSource.objects.filter(institution=institution).delete()
    plain = export_register(institution)
    assert plain.count(f"{field}: null") == nulls
    again = import_register(Actor.system("test"), plain, file).institution
    assert export_register(again) == plain
    assert len(not_published_of(again)) == nulls


def assert_editing_another_field_keeps_it_not_published(
    client: Any, user: Any, group: models.DeviceGroup, field: str
) -> None:
    log_in(client, user)
    data = edit_data(group, coverage="50m 이내", reason="촬영 범위 정정")
    response = client.post(reverse("inventory:group_edit", args=[group.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    group.refresh_from_db()
    assert group.coverage == "50m 이내" and getattr(group, field) is None


def assert_recording_it_resolves_it(
    client: Any,
    user: Any,
    group: models.DeviceGroup,
    *,
    field: str,
    value: str,
    reason: str,
    prompt: str,
    not_published_of: NotPublishedOf,
    register_section: str,
) -> None:
    """The edit form says the fact is not published (`prompt`); recording `value` resolves it: no longer
    listed (`register_section` gone from the register page), the audit entry and the group's history
    read not published (null) → the value."""
    log_in(client, user)
    form = client.get(reverse("inventory:group_edit", args=[group.pk])).content.decode()
    assert prompt in form
    response = client.post(
        reverse("inventory:group_edit", args=[group.pk]), edit_data(group, reason=reason, **{field: value})
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert getattr(group, field) == value
    assert not_published_of(group.institution) == []
    audit = AuditEntry.objects.filter(action="inventory.update_device_group").latest("id")
    assert audit.details["changes"][field] == [None, value]
    page = client.get(reverse("inventory:register_home", args=[group.institution_id])).content.decode()
    assert f'id="{register_section}"' not in page
    # The group's change history reads "not published" → the value, not "(없음)".
    detail = client.get(reverse("inventory:group_detail", args=[group.pk])).content.decode()
    assert "공개 문서에 없음 (미공개)" in detail and value in detail
