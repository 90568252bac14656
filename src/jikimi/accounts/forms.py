"""Forms of the account pages. They parse and check input; the actions change things."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.db.models import QuerySet

from jikimi.accounts import register
from jikimi.accounts.models import Role, User
from jikimi.accounts.usernames import ALLOWED as ALLOWED_IN_USERNAME
from jikimi.accounts.usernames import MAX_LENGTH as MAX_USERNAME_LENGTH
from jikimi.accounts.usernames import username_problem


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


class KrdsForm(forms.Form):
    """Puts the KRDS classes on the widgets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "krds-form-select"
                if isinstance(field.widget, forms.Select | forms.SelectMultiple)
                else "krds-input"
            )
            field.widget.attrs.setdefault("class", css)


class LoginForm(KrdsForm):
    username = forms.CharField(
        label="아이디",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="비밀번호",
        strip=False,
        max_length=1024,  # inputs have limits: nothing longer is hashed (Argon2 costs per byte)
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecondFactorForm(KrdsForm):
    code = forms.CharField(
        label="인증 코드",
        max_length=32,
        help_text="인증 앱에 표시된 6자리 숫자, 또는 복구 코드 하나",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class PasswordChangeForm(DjangoPasswordChangeForm):
    error_messages = {
        **DjangoPasswordChangeForm.error_messages,
        "password_incorrect": "현재 비밀번호가 맞지 않습니다. 다시 입력하십시오.",
        "password_mismatch": "새 비밀번호 두 칸이 서로 다릅니다.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "현재 비밀번호"
        self.fields["new_password1"].label = "새 비밀번호"
        self.fields["new_password2"].label = "새 비밀번호 확인"
        self.fields[
            "new_password1"
        ].help_text = "12자 이상, 숫자만으로 된 비밀번호나 흔한 비밀번호는 쓸 수 없습니다."
        # Django's own help text here came out in English on the page (seen in `make run`).
        self.fields["new_password2"].help_text = "확인을 위해 새 비밀번호를 한 번 더 입력하십시오."
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "krds-input")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new:
            self.add_error("new_password1", "새 비밀번호는 지금 비밀번호와 달라야 합니다.")
        return cleaned


class UserCreateForm(KrdsForm):
    username = forms.CharField(
        label="아이디",
        max_length=MAX_USERNAME_LENGTH,
        help_text=f"{ALLOWED_IN_USERNAME}만 쓸 수 있습니다. 한 사람에 한 계정입니다.",
    )
    name = forms.CharField(label="성명", max_length=60)
    institution = forms.ModelChoiceField(label="소속 기관", queryset=register.institutions().none())
    department = forms.ModelChoiceField(
        label="소속 부서", queryset=register.departments().none(), required=False
    )
    position = forms.CharField(label="직위", max_length=60, required=False)
    phone = forms.CharField(label="전화번호", max_length=40, required=False)
    email = forms.EmailField(label="이메일", required=False)
    reason = forms.CharField(
        label="사유", max_length=200, required=False, help_text="예: 2026년 하반기 교통행정과 전입"
    )

    def __init__(self, *args: Any, institutions: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "institution").queryset = institutions
        _choices(self, "department").queryset = (
            register.departments().filter(institution__in=institutions).select_related("institution")
        )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        problem = username_problem(username, field="")
        if problem:
            raise forms.ValidationError(problem)
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(f"아이디 '{username}'은(는) 이미 있습니다.")
        return username

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        institution, department = cleaned.get("institution"), cleaned.get("department")
        if institution and department and department.institution_id != institution.pk:
            self.add_error("department", f"'{department}'은(는) {institution}의 부서가 아닙니다.")
        return cleaned


def _group_label(group: Any) -> str:
    return str(group.choice_label)


class GrantForm(KrdsForm):
    institution = forms.ModelChoiceField(label="기관", queryset=register.institutions().none())
    # No role is chosen for the officer: the most powerful one must never be the one nobody changed.
    role = forms.ChoiceField(label="역할", choices=[("", "(역할을 고르세요)"), *Role.choices])
    departments = forms.ModelMultipleChoiceField(
        label="부서 범위",
        queryset=register.departments().none(),
        required=False,
        help_text="부서도 기기 묶음도 고르지 않으면 기관 전체에 적용됩니다.",
    )
    device_groups = forms.ModelMultipleChoiceField(
        label="기기 묶음 범위",
        queryset=register.device_groups().none(),
        required=False,
        help_text="고른 기기 묶음에만 적용됩니다.",
    )
    reason = forms.CharField(
        label="부여 사유", max_length=200, help_text="예: 인사발령(2026.11.23.)에 따른 접근권한 부여"
    )

    def __init__(self, *args: Any, institutions: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "institution").queryset = institutions
        _choices(self, "departments").queryset = (
            register.departments().filter(institution__in=institutions).select_related("institution")
        )
        groups = _choices(self, "device_groups")
        groups.queryset = (
            register.device_groups()
            .filter(institution__in=institutions)
            .select_related("institution", "department")
        )
        # Three groups named "방범용" differ by department and institution (DeviceGroup.choice_label).
        groups.label_from_instance = _group_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        institution = cleaned.get("institution")
        if institution is None:
            return cleaned
        for department in cleaned.get("departments") or ():
            if department.institution_id != institution.pk:
                self.add_error("departments", f"'{department}'은(는) {institution}의 부서가 아닙니다.")
        for group in cleaned.get("device_groups") or ():
            if group.institution_id != institution.pk:
                self.add_error("device_groups", f"'{group.name}'은(는) {institution}의 기기 묶음이 아닙니다.")
        return cleaned


class ReasonForm(KrdsForm):
    reason = forms.CharField(label="사유", max_length=200)


class OptionalReasonForm(KrdsForm):
    reason = forms.CharField(label="사유", max_length=200, required=False)
