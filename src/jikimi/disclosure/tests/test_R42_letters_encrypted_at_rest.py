"""Letters are kept encrypted at rest like the 청구서's attachments (R42, R22, R26): the database row of a
decision or postponement letter holds no PDF — only its ciphertext, under a data key wrapped by the
master key — yet the staff's page and the requester's status link serve the letter as it was sent; the
migration seals letters stored in the clear before it."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterator
from datetime import date, datetime

import pytest
import time_machine
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.actions.identity import verify_identity
from jikimi.disclosure.actions.postponement import postpone
from jikimi.disclosure.models import Decision, Postponement
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.lib.clock import SEOUL

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)  # Monday; the request is due on 2026-12-03
TOKEN = "letters-at-rest-token".ljust(43, "x")

migration = importlib.import_module("jikimi.disclosure.migrations.0008_letters_encrypted_at_rest")


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def raw_letter(row: models.Model) -> bytes:
    """The letter column as the database holds it, read past the model."""
    table, column = row._meta.db_table, row._meta.get_field("letter_sealed").column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [row.pk])  # noqa: S608 (names from the model)
        return bytes(cursor.fetchone()[0])


def test_a_decision_letter_is_stored_encrypted_and_still_served(desk: Desk) -> None:
    request = make_request(
        desk.institution, locations=[desk.gate], status_token_hash=hashlib.sha256(TOKEN.encode()).hexdigest()
    )
    verify_identity(desk.actor(desk.alice), request, "id_card", "주민등록증", "")
    decision = decide(desk.actor(desk.bob), request, Decision.Outcome.NOT_FOUND)

    stored = raw_letter(decision)
    assert b"%PDF" not in stored and len(stored) > 100
    sent = Decision.objects.get(pk=decision.pk).letter_pdf
    assert sent.startswith(b"%PDF-") and hashlib.sha256(sent).hexdigest() == decision.letter_sha256
    assert decision.letter_key_id.startswith("letter/") and decision.letter_wrapped_key

    staff = Client()
    log_in(staff, desk.bob)
    page = staff.get(reverse("disclosure:letter", kwargs={"pk": request.pk, "number": 1}))
    assert page.status_code == 200 and page.content == sent
    link = Client().get(reverse("requests:letter", kwargs={"token": TOKEN, "number": 1}))
    assert link.status_code == 200 and link.content == sent


def test_a_postponement_letter_is_stored_encrypted_and_still_served(desk: Desk) -> None:
    request = make_request(
        desk.institution, locations=[desk.gate], status_token_hash=hashlib.sha256(TOKEN.encode()).hexdigest()
    )
    postpone(desk.actor(desk.alice), request, date(2026, 12, 14), "제3자 마스킹")
    postponement = Postponement.objects.get(request=request)

    assert b"%PDF" not in raw_letter(postponement)
    sent = postponement.letter_pdf
    assert sent.startswith(b"%PDF-") and hashlib.sha256(sent).hexdigest() == postponement.letter_sha256

    staff = Client()
    log_in(staff, desk.alice)
    page = staff.get(reverse("disclosure:postponement_letter", kwargs={"pk": request.pk, "number": 1}))
    assert page.status_code == 200 and page.content == sent
    link = Client().get(reverse("requests:postponement_letter", kwargs={"token": TOKEN, "number": 1}))
    assert link.status_code == 200 and link.content == sent


def test_the_migration_seals_letters_stored_in_the_clear(desk: Desk) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    postpone(desk.actor(desk.alice), request, date(2026, 12, 14), "제3자 마스킹")
    postponement = Postponement.objects.get(request=request)
    plain = postponement.letter_pdf
    # A row as the migration finds it: the PDF in the clear, no key.
    Postponement.objects.filter(pk=postponement.pk).update(
        letter_sealed=plain, letter_key_id="", letter_wrapped_key=None
    )
    assert raw_letter(postponement).startswith(b"%PDF-")

    migration.seal_existing(apps, None)

    assert b"%PDF" not in raw_letter(postponement)
    assert Postponement.objects.get(pk=postponement.pk).letter_pdf == plain
    # Back again: the reverse step restores the clear row.
    migration.unseal_existing(apps, None)
    assert raw_letter(postponement) == plain
