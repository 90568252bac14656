"""제공 파일 회수: an officer whose package is ready but who lost its one-time password (or gave it to the
wrong place) withdraws it with a reason — the stored file destroyed, the download link answering that it
was withdrawn, the one-live-build slot freed so a new one is ordered at once (not after the link's 7 days),
the withdrawal in the case's history. Only a made package, before its handover (R30, R49); a copy already
downloaded may still be withdrawn (R26, R42: the record stays, the stored copy goes). Two withdrawals at
once: one. Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://…)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pyzipper
import time_machine
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.testing import log_in
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.masking import approve_release
from jikimi.disclosure.actions.package_jobs import WithdrawalRefused, withdraw_package
from jikimi.disclosure.models import CopyDelivery, MaskingJob, PackageJob, ProvisionDelivery
from jikimi.disclosure.package_tasks import run_build
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    CLOCK,
    World,
    immediate_huey,
    officer_actor,
    private_vault,
    rendered_job,
    two_faces_footage,
    world_fixture,
)
from jikimi.disclosure.tests.package_builds import REASON, at_the_same_instant, ready_build, stored

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(CLOCK + timedelta(minutes=10), tick=True):
        yield


def _messages(response: HttpResponse) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def _password_of(page: HttpResponse) -> str:
    return page.content.decode().split("data-password>")[1].split("<")[0]


def _opens(data: bytes, password: str) -> bool:
    try:
        with pyzipper.AESZipFile(io.BytesIO(data)) as zf:
            zf.setpassword(password.encode())
            return all(zf.read(name) is not None for name in zf.namelist())
    except RuntimeError:  # pyzipper: "Bad password for file"
        return False


def _refusals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="disclosure.withdraw_package_refused"))


def _withdraw_url(build: PackageJob) -> str:
    if build.case_id:
        return reverse("provisions:package_withdraw", args=[build.case_id])
    return reverse("disclosure:masking_copy_withdraw", args=[build.masking_job_id])


# -- the whole story, on a real copy -----------------------------------------------------------------


@pytest.mark.usefixtures("immediate_huey")
def test_a_downloaded_copy_withdrawn_is_destroyed_its_link_says_so_and_a_new_one_is_ordered(
    world: World, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    job = rendered_job(world, django_capture_on_commit_callbacks)
    assert job.state == MaskingJob.State.READY, job.error
    approve_release(officer_actor(world.head), job)
    log_in(client, world.officer)
    first = client.post(reverse("disclosure:masking_copy", args=[job.pk]))
    old_password = _password_of(first)
    build = PackageJob.objects.get()
    run_build(build.pk)
    delivery = CopyDelivery.objects.get()
    link = reverse("requests:download_copy", args=[world.token, delivery.pk])
    citizen = Client()
    old_zip = b"".join(citizen.get(link).streaming_content)  # type: ignore[attr-defined]
    assert _opens(old_zip, old_password)  # downloaded once: withdrawal is still allowed (R26, R42)

    review = client.get(reverse("disclosure:masking_review", args=[job.pk])).content.decode()
    assert "제공 파일 회수" in review and 'name="reason"' in review and "이미 1회 내려받았습니다" in review
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("disclosure:masking_copy_withdraw", args=[job.pk]), {"build": build.pk, "reason": REASON}
        )
    assert answer.status_code == 302 and "사본 파일을 회수했습니다" in " ".join(_messages(answer))

    build.refresh_from_db()
    delivery.refresh_from_db()
    assert build.state == PackageJob.State.WITHDRAWN and build.withdrawal_reason == REASON
    assert build.withdrawn_by == world.officer and delivery.withdrawn_at is not None
    # Destroyed: the data key erased in the transaction, the ciphertext deleted once it committed.
    assert delivery.wrapped_key is None and not stored(delivery.object_name)
    entry = AuditEntry.objects.get(action="disclosure.withdraw_package")
    assert (
        REASON in entry.reason
        and entry.details["downloads"] == 1
        and entry.details["sha256"] == delivery.sha256
    )
    # The link answers at once that the copy was withdrawn, in Korean (not "expired", not a 500).
    refused = citizen.get(link)
    assert refused.status_code == 410 and "회수해 더 이상 내려받을 수 없습니다" in refused.content.decode()
    # The request's history and the review page show it.
    page = client.get(reverse("disclosure:request", args=[world.request.pk])).content.decode()
    assert "제공 파일 회수" in page and REASON in page
    review = client.get(reverse("disclosure:masking_review", args=[job.pk])).content.decode()
    assert "회수함" in review and 'data-build-state="withdrawn"' in review

    # The slot is free: a new copy is ordered now, not in 7 days, with a new password.
    second = client.post(reverse("disclosure:masking_copy", args=[job.pk]))
    assert second.status_code == 200, _messages(second)
    new_password = _password_of(second)
    again = PackageJob.objects.exclude(pk=build.pk).get()
    run_build(again.pk)
    fresh = CopyDelivery.objects.exclude(pk=delivery.pk).get()
    new_zip = b"".join(
        citizen.get(reverse("requests:download_copy", args=[world.token, fresh.pk])).streaming_content
    )  # type: ignore[attr-defined]
    assert new_password != old_password
    assert _opens(new_zip, new_password) and not _opens(
        new_zip, old_password
    )  # the old password opens nothing


# -- refusals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["copy", "provision"])
@pytest.mark.parametrize(
    ("reason", "said"), [("  \n ", "회수 사유: 필수 항목입니다"), ("가" * 501, "회수 사유: 500자 이내")]
)
def test_a_withdrawal_without_a_reason_or_with_too_long_a_one_is_refused_and_changes_nothing(
    world: World, client: Client, tmp_path: Path, kind: str, reason: str, said: str
) -> None:
    build = ready_build(world, kind, tmp_path)
    log_in(client, world.officer)
    answer = client.post(_withdraw_url(build), {"build": build.pk, "reason": reason})
    assert answer.status_code == 302 and said in " ".join(_messages(answer))
    build.refresh_from_db()
    assert build.state == PackageJob.State.READY and build.delivery.withdrawn_at is None
    assert build.delivery.wrapped_key is not None and stored(build.delivery.object_name)
    assert not AuditEntry.objects.filter(action="disclosure.withdraw_package").exists()
    # A form error, not a refused withdrawal: nothing was asked yet (the page names the field).
    assert not AuditEntry.objects.filter(action="disclosure.withdraw_package_refused").exists()


@pytest.mark.parametrize("kind", ["copy", "provision"])
def test_people_who_may_not_order_the_package_may_not_withdraw_it(
    world: World, client: Client, tmp_path: Path, kind: str
) -> None:
    build = ready_build(world, kind, tmp_path)
    # Another department's officer does not see the case (404); the auditor changes nothing (403).
    for user, status in ((world.stranger, 404), (world.auditor, 403)):
        client.logout()
        log_in(client, user)
        answer = client.post(_withdraw_url(build), {"build": build.pk, "reason": REASON})
        assert answer.status_code == status, (user, answer.status_code)
    client.logout()
    assert (
        client.post(_withdraw_url(build), {"build": build.pk, "reason": REASON}).status_code == 302
    )  # to login
    build.refresh_from_db()
    assert build.state == PackageJob.State.READY
    assert not AuditEntry.objects.filter(action="disclosure.withdraw_package").exists()
    # Refused at the door (403/404, as every page of the house), before any action: not audited.
    assert not AuditEntry.objects.filter(action="disclosure.withdraw_package_refused").exists()


@pytest.mark.parametrize("kind", ["copy", "provision"])
@pytest.mark.parametrize(
    ("state", "said"),
    [
        (PackageJob.State.QUEUED, "'대기' 상태의"),
        (PackageJob.State.RUNNING, "'만드는 중' 상태의"),
        (PackageJob.State.FAILED, "'실패' 상태의"),
    ],
)
def test_a_package_not_made_cannot_be_withdrawn(
    world: World, client: Client, tmp_path: Path, kind: str, state: str, said: str
) -> None:
    build = ready_build(world, kind, tmp_path, state=state)
    log_in(client, world.officer)
    answer = client.post(_withdraw_url(build), {"build": build.pk, "reason": REASON})
    assert said in " ".join(_messages(answer)) and "다 만들어진" in " ".join(_messages(answer))
    build.refresh_from_db()
    assert build.state == state
    [entry] = _refusals()
    assert entry.actor == world.officer and entry.details["package_state"] == state
    assert entry.details["requested_reason"] == REASON and "다 만들어진" in entry.reason


def test_a_package_handed_over_is_not_withdrawn_r49(world: World, client: Client, tmp_path: Path) -> None:
    """R49, R30: the 인수증 and the register say this package's files were given; the chain goes on with
    the body's destruction report, so its stored copy (still served by the portal) is kept."""
    build = ready_build(world, PackageJob.Kind.PROVISION, tmp_path)
    ProvisionDelivery.objects.filter(pk=build.provision_delivery_id).update(handed_over_at=timezone.now())
    log_in(client, world.officer)
    page = client.get(reverse("provisions:handover", args=[build.case_id])).content.decode()
    assert "제공 파일 회수" not in page
    answer = client.post(_withdraw_url(build), {"build": build.pk, "reason": REASON})
    assert "인계되어 인수증에 기록되었습니다: 회수하지 않습니다" in " ".join(_messages(answer))
    build.refresh_from_db()
    assert build.state == PackageJob.State.READY and stored(build.delivery.object_name)
    # R40: someone asked to take back footage the police signed for; the case's record says who and why.
    [entry] = _refusals()
    assert entry.action == "disclosure.withdraw_package_refused" and entry.actor == world.officer
    assert entry.target_type == "disclosure.ProvisionCase" and entry.target_id == str(build.case_id)
    assert "회수 거부" in entry.reason and "인계되어 인수증에 기록되었습니다" in entry.reason
    assert entry.details["package_job"] == build.pk and entry.details["package_state"] == "ready"
    assert entry.details["requested_reason"] == REASON and entry.details["handed_over_at"]
    assert not AuditEntry.objects.filter(action="disclosure.withdraw_package").exists()


def test_a_withdrawal_of_a_build_of_another_case_or_again_is_refused(
    world: World, client: Client, tmp_path: Path
) -> None:
    build = ready_build(world, PackageJob.Kind.PROVISION, tmp_path)
    log_in(client, world.officer)
    page = client.get(reverse("provisions:handover", args=[build.case_id])).content.decode()
    assert "제공 파일 회수" in page and f'name="build" value="{build.pk}"' in page
    # A build id the case does not have (a stale or forged form): nothing found, nothing done.
    answer = client.post(_withdraw_url(build), {"build": build.pk + 1000, "reason": REASON})
    assert "찾을 수 없습니다" in " ".join(_messages(answer))
    client.post(_withdraw_url(build), {"build": build.pk, "reason": REASON})
    answer = client.post(_withdraw_url(build), {"build": build.pk, "reason": REASON})
    assert "이미 회수되었습니다" in " ".join(_messages(answer))
    assert AuditEntry.objects.filter(action="disclosure.withdraw_package").count() == 1
    [entry] = _refusals()  # the build not found is no refusal of a package: nothing to name
    assert entry.details["package_state"] == "withdrawn" and "이미 회수되었습니다" in entry.reason
    page = client.get(reverse("provisions:handover", args=[build.case_id])).content.decode()
    assert "회수함" in page
    history = client.get(reverse("provisions:case", args=[build.case_id])).content.decode()
    assert "제공 파일 회수" in history and REASON in history


# -- two withdrawals at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["copy", "provision"])
def test_two_withdrawals_at_the_same_instant_make_one(world: World, tmp_path: Path, kind: str) -> None:
    """Two officers (or a double click), each in its own connection: one withdrawal, one refusal."""
    build = ready_build(world, kind, tmp_path)
    done, refused = at_the_same_instant(
        lambda: withdraw_package(officer_actor(world.officer), build, REASON), WithdrawalRefused
    )
    assert len(done) == 1 and len(refused) == 1, (done, refused)
    assert "이미 회수되었습니다" in refused[0]
    assert AuditEntry.objects.filter(action="disclosure.withdraw_package").count() == 1
    build.refresh_from_db()
    assert build.state == PackageJob.State.WITHDRAWN and not stored(build.delivery.object_name)
