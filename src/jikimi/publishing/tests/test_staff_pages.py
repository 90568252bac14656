from __future__ import annotations

from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.publishing.models import PolicyVersion


def login(client, user):
    log_in(client, user)


def test_the_staff_index_asks_for_login(client, gunsan):
    response = client.get(reverse("publishing:staff_index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_privacy_officer_sees_the_institution_and_its_live_preview(client, privacy_officer):
    login(client, privacy_officer)
    index = client.get(reverse("publishing:staff_index")).content.decode()
    assert "군산시" in index
    page = client.get(reverse("publishing:staff_institution", args=["gunsan"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "미리보기" in text and "새 버전 공개" in text and "㈜영창티엠에스" in text


def test_an_officer_of_a_department_is_refused_publishing(client, traffic_officer):
    login(client, traffic_officer)
    index = client.get(reverse("publishing:staff_index")).content.decode()
    # Within the page's content: the header and footer name the person's institution on every page.
    assert "군산시" not in index.split("<main", 1)[1].split("</main>", 1)[0]
    for name in ("staff_institution", "installation_pdf", "installation_xlsx"):
        assert client.get(reverse(f"publishing:{name}", args=["gunsan"])).status_code == 403, name
    response = client.post(
        reverse("publishing:publish", args=["gunsan"]),
        {"announced_on": "2024-08-23", "effective_on": "2024-09-01", "reason": "개정"},
    )
    assert response.status_code == 403
    assert not PolicyVersion.objects.exists()


def test_the_privacy_officer_of_another_institution_is_refused(client, gunsan, other_privacy_officer):
    login(client, other_privacy_officer)
    assert client.get(reverse("publishing:staff_institution", args=["gunsan"])).status_code == 403


def test_publishing_from_the_form_shows_the_short_notice_warning(client, privacy_officer):
    login(client, privacy_officer)
    form = {"announced_on": "2024-08-30", "effective_on": "2024-09-01", "reason": "보관기간 변경"}
    confirmation = client.post(reverse("publishing:publish", args=["gunsan"]), form)
    assert "간격이 2일" in confirmation.content.decode() and not PolicyVersion.objects.exists()
    response = client.post(
        reverse("publishing:publish", args=["gunsan"]),
        {**form, "confirmed": confirmation.context["draft"].digest},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "제1판을 공개했습니다" in text
    assert "간격이 2일" in text
    assert PolicyVersion.objects.get().reason == "보관기간 변경"


def test_the_form_refuses_an_effective_date_before_the_announcement(client, privacy_officer):
    login(client, privacy_officer)
    response = client.post(
        reverse("publishing:publish", args=["gunsan"]),
        {"announced_on": "2024-09-02", "effective_on": "2024-09-01", "reason": "개정"},
    )
    assert response.status_code == 400
    assert "시행일" in response.content.decode()
    assert not PolicyVersion.objects.exists()


def test_the_form_warns_about_a_short_notice_before_publishing(client, privacy_officer, traffic_officer):
    url = reverse("publishing:check_dates", args=["gunsan"])
    login(client, traffic_officer)
    assert client.get(url, {"announced_on": "2024-08-30", "effective_on": "2024-09-01"}).status_code == 403
    login(client, privacy_officer)
    text = client.get(url, {"announced_on": "2024-08-30", "effective_on": "2024-09-01"}).content.decode()
    assert "간격이 2일" in text
    assert (
        client.get(url, {"announced_on": "2024-08-23", "effective_on": "2024-09-01"}).content.decode().strip()
        == ""
    )
    assert (
        "앞설 수 없습니다"
        in client.get(url, {"announced_on": "2024-09-02", "effective_on": "2024-09-01"}).content.decode()
    )
