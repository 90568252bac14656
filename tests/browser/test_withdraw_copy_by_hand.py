"""제공 파일 회수 by hand: the citizen has the status link's page open with the copy's download on it; the
officer, who sent the one-time password to the wrong place, finds the request by the menu, opens the
masking review, opens "제공 파일 회수", types why and presses 회수, and reads on the page that the copy was
withdrawn; the citizen's click on the download then answers that the copy was withdrawn by the officer
(R42: exported footage only within reach of the right person). No page is reached by a hand-made URL
except the citizen's status link, which is how a citizen has it."""

from __future__ import annotations

import pytest

from jikimi.accounts.models import User
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.masking import approve_release, start_masking
from jikimi.disclosure.actions.package_jobs import order_copy
from jikimi.disclosure.models import CopyDelivery, MaskingJob, PackageJob
from jikimi.disclosure.status_links import status_path
from jikimi.inventory.models import Device
from tests.browser.login import log_in
from tests.browser.test_masking_review_by_hand import open_request_page, world  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "암호를 다른 청구인에게 잘못 보냄"


def _ready_copy(request) -> PackageJob:
    """The copy as the officer and the head left it: rendered, approved, built by the (immediate) worker."""
    officer = Actor.for_user(User.objects.get(username="alice"), "127.0.0.1")
    head = Actor.for_user(User.objects.get(username="dora"), "127.0.0.1")
    job = start_masking(officer, request, Device.objects.get(name="정문 1번"))
    job.refresh_from_db()
    assert job.state == MaskingJob.State.READY, job.error
    order = order_copy(officer, approve_release(head, job))
    build = PackageJob.objects.get(pk=order.build.pk)
    assert build.state == PackageJob.State.READY, build.error
    return build


def test_the_officer_withdraws_a_ready_copy_and_the_citizens_download_says_so(
    page,
    browser,
    live_server,
    world,  # noqa: F811 (the fixture imported above)
) -> None:
    request, token = world
    build = _ready_copy(request)

    # The citizen's status page, open on their screen, offers the download.
    citizen = browser.new_context(locale="ko-KR").new_page()
    citizen.goto(f"{live_server.url}{status_path(token)}")
    download = citizen.get_by_role("link", name="내려받기")
    download.wait_for()

    # The officer: the menu, the request, its masking panel, the review, and the withdrawal.
    log_in(page, live_server, "alice")
    open_request_page(page, request.receipt_number)
    page.locator(f'#masking-panel tr[data-job="{build.masking_job_id}"]').get_by_role(
        "link", name="검토"
    ).click()
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-build-state="ready"]').is_visible()
    page.get_by_text("제공 파일 회수 (암호를 잃었거나 잘못 보낸 경우)").click()
    page.get_by_label("회수 사유 (필수)").fill(REASON)
    page.locator("#package-withdraw").get_by_role("button", name="회수").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "사본 파일을 회수했습니다: 보관한 파일을 파기하고 내려받기 링크를 닫았습니다" in main
    assert page.locator('[data-build-state="withdrawn"]').is_visible()
    assert REASON in page.locator("[data-withdrawn]").inner_text()

    # The citizen clicks the download still on their page: it answers that the copy was withdrawn.
    download.click()
    citizen.wait_for_load_state("networkidle")
    answer = citizen.locator("body").inner_text()
    assert "담당자가 회수해 더 이상 내려받을 수 없습니다" in answer
    citizen.context.close()

    build.refresh_from_db()
    assert build.state == PackageJob.State.WITHDRAWN and build.withdrawal_reason == REASON
    assert CopyDelivery.objects.get().withdrawn_at is not None
    entry = AuditEntry.objects.get(action="disclosure.withdraw_package")
    assert REASON in entry.reason and entry.actor.username == "alice"
