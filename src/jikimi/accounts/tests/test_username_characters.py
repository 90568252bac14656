"""A 아이디 is ASCII letters, digits and @ . + - _ only, as the account form's help says (issue 12:
"김철수" was accepted). The form says so next to the field, in Korean; the action refuses it too, so the
API and the commands (create_admin) cannot bypass the form."""

import pytest
from django.urls import reverse

from jikimi.accounts.actions import AccountError, create_user
from jikimi.accounts.forms import UserCreateForm
from jikimi.accounts.models import User
from jikimi.accounts.testing import log_in, make_institution, make_user
from jikimi.audit.context import Actor

pytestmark = pytest.mark.django_db

ACTOR = Actor(user=None, label="테스트", client_address="test")


def _form(username: str) -> UserCreateForm:
    institution = make_institution()
    return UserCreateForm(
        {"username": username, "name": "김철수", "institution": institution.pk},
        institutions=type(institution).objects.all(),
    )


@pytest.mark.parametrize("username", ["김철수", "kim 철수", "kim cs", "kim/cs", "ｋｉｍ"])
def test_the_form_refuses_a_username_outside_ascii_letters_and_digits(username: str) -> None:
    form = _form(username)
    assert not form.is_valid()
    [error] = form.errors["username"]
    assert "영문·숫자와 @ . + - _만 쓸 수 있습니다" in error and "쓸 수 없는 글자" in error


@pytest.mark.parametrize("username", ["kimcs", "kim.cs@incheon.go.kr", "kim_cs-2", "KIM+1"])
def test_the_form_accepts_the_characters_its_help_names(username: str) -> None:
    assert _form(username).is_valid(), _form(username).errors


def test_the_action_refuses_it_too_naming_the_field() -> None:
    with pytest.raises(AccountError, match="아이디 '김철수'에는 영문·숫자와") as refused:
        create_user(ACTOR, username="김철수", name="김철수", institution=make_institution())
    assert "김, 철, 수" in str(refused.value)
    assert not User.objects.filter(username="김철수").exists()


def test_the_page_shows_the_error_next_to_the_field_and_keeps_nothing(client) -> None:
    admin = make_user("admin", "administrator", name="최관리")
    log_in(client, admin)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "김철수", "name": "김철수", "institution": admin.institution.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "아이디: &#x27;김철수&#x27;에는 영문·숫자와 @ . + - _만 쓸 수 있습니다" in html
    assert not User.objects.filter(username="김철수").exists()
