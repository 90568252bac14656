"""The portal's forms: a body's officer's online application, and the staff's form for his account.

They parse; the actions check and write (jikimi.disclosure.actions.provision_intake.file_provision,
jikimi.disclosure.actions.portal_accounts.create_external_account). Every error names its field.
Windows are read in Seoul time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from jikimi.accounts.forms import KrdsForm
from jikimi.accounts.usernames import MAX_LENGTH as MAX_USERNAME_LENGTH
from jikimi.disclosure.actions.provision_intake import FootageLine
from jikimi.disclosure.attachments import ACCEPTED_TEXT, size_text
from jikimi.disclosure.attachments import max_bytes as attachment_max_bytes
from jikimi.disclosure.intake_forms import location_choices
from jikimi.disclosure.models import RequestingBody
from jikimi.inventory.models import Institution, Location
from jikimi.lib.clock import SEOUL
from jikimi.rules.provision_grounds import GROUNDS

# Footage lines on one application (the action takes more; a letter asking for more sites is rare and
# the officer files a second application).
FOOTAGE_LINES = 3
MASKED, ORIGINAL = "masked", "original"


def _text(label: str, max_length: int, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages={
            "required": f"{label}을(를) 입력하십시오",
            "max_length": f"{label}은(는) {max_length}자까지 쓸 수 있습니다",
        },
    )


def _moment(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "날짜와 시각을 입력하십시오"},
    )


class ApplicationForm(KrdsForm):
    """영상정보 제공 요청 (online): the 공문, the ground, the purpose, the footage, the copy asked for."""

    letter_number = _text("공문번호", 100, help_text="예: 인천중부서 형사과-1234")
    letter_date = forms.DateField(
        label="공문 일자",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "공문 일자를 입력하십시오", "invalid": "날짜를 입력하십시오"},
    )
    letter = forms.FileField(
        label="요청 공문 (스캔)",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
        error_messages={"required": "스캔한 공문을 첨부하십시오"},
    )
    legal_ground = forms.ChoiceField(
        label="제공 근거 (개인정보 보호법 제18조제2항)",
        choices=[("", "근거를 고르십시오")] + [(g.item, f"제{g.item}호 {g.label}") for g in GROUNDS],
        required=False,  # the action names the empty ground (R29) as it does on paper
    )
    ground_detail = _text("근거 법령·조문", 200, required=False, help_text="예: 형사소송법 제199조")
    purpose = forms.CharField(
        label="요청 목적",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "요청 목적을 입력하십시오",
            "max_length": "요청 목적은 2000자까지 쓸 수 있습니다",
        },
    )
    copy_kind = forms.ChoiceField(
        label="제공 형태",
        choices=[(MASKED, "제3자를 가린 사본 (마스킹)"), (ORIGINAL, "원본 (마스킹 없음)")],
        initial=MASKED,
        widget=forms.RadioSelect,
        error_messages={
            "required": "제공 형태를 고르십시오",
            "invalid_choice": "목록에서 고르십시오",
        },
    )
    original_reason = forms.CharField(
        label="원본이 필요한 사유",
        required=False,
        max_length=2000,
        help_text="원본을 요청할 때 반드시 적으십시오 (승인권자가 판단합니다)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "원본이 필요한 사유는 2000자까지 쓸 수 있습니다"},
    )
    urgent = forms.BooleanField(
        label="긴급 (생명·신체 등 급박한 공익 목적)",
        required=False,
        help_text="급박한 경우에만 고르십시오 (오산시 지침 제32조③: 통합관제센터장이 승인할 수 있습니다)",
    )

    def __init__(self, institution: Institution, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.fields["letter"].help_text = f"{ACCEPTED_TEXT}, {size_text(attachment_max_bytes())}까지"
        choices: list[Any] = [("", "설치장소를 고르십시오"), *location_choices(institution)]
        for number in range(1, FOOTAGE_LINES + 1):
            site = forms.ChoiceField(label=f"설치장소 {number}", choices=choices, required=False)
            site.widget.attrs["class"] = "krds-form-select"
            self.fields[f"site_{number}"] = site
            for part, label in (("start", "시작"), ("end", "끝")):
                field = _moment(f"설치장소 {number} 기간 {label}")
                field.widget.attrs["class"] = "krds-input"
                self.fields[f"{part}_{number}"] = field
        self.footage: list[FootageLine] = []

    def footage_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"site_{n}"], self[f"start_{n}"], self[f"end_{n}"]) for n in range(1, FOOTAGE_LINES + 1)
        ]

    def ground_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("legal_ground", "ground_detail", "purpose")]

    def _seoul(self, value: Any) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        # The page asks in Seoul time; whatever zone Django attached, the wall clock read is Seoul's.
        return value.replace(tzinfo=None).replace(tzinfo=SEOUL)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        locations = {
            str(loc.pk): loc for loc in Location.objects.filter(device_group__institution=self.institution)
        }
        for number in range(1, FOOTAGE_LINES + 1):
            chosen = data.get(f"site_{number}") or ""
            start, end = self._seoul(data.get(f"start_{number}")), self._seoul(data.get(f"end_{number}"))
            if not chosen:
                if start or end:
                    self.add_error(f"site_{number}", "기간을 적은 줄의 설치장소를 고르십시오")
                continue
            location = locations.get(chosen)
            if location is None:
                self.add_error(f"site_{number}", "이 기관의 설치장소 목록에서 고르십시오")
                continue
            if start is None or end is None:
                self.add_error(
                    f"start_{number}" if start is None else f"end_{number}",
                    f"{location.name}: 기간의 시작과 끝을 모두 입력하십시오",
                )
                continue
            self.footage.append((location, start, end))
        return data

    @property
    def original_requested(self) -> bool:
        return self.cleaned_data.get("copy_kind") == ORIGINAL


def field_message(message: str, field: str | None) -> str:
    """An action's message for a form field, without its leading "label: " (the page shows the label)."""
    head, separator, rest = message.partition(": ")
    return rest if field and separator and len(head) <= 20 else message


class BodyChoiceField(forms.ModelChoiceField[RequestingBody]):
    def label_from_instance(self, obj: RequestingBody) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ExternalAccountForm(KrdsForm):
    """An investigating body's officer's account, made by an account manager (MANAGE_ACCOUNTS)."""

    institution = forms.ModelChoiceField(
        label="기관",
        queryset=Institution.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "계정을 관리하는 기관을 고르십시오"},
    )
    body = BodyChoiceField(
        label="요청 기관",
        queryset=RequestingBody.objects.none(),
        required=False,
        empty_label="목록에서 고르거나 아래에 새 기관을 적으십시오",
        error_messages={"invalid_choice": "이 기관에 등록된 요청 기관을 고르십시오"},
    )
    new_body_name = _text(
        "새 요청 기관 이름", 100, required=False, help_text="목록에 없을 때 (예: 인천중부경찰서)"
    )
    new_body_kind = forms.ChoiceField(
        label="새 요청 기관 구분",
        choices=[("", "구분을 고르십시오"), *RequestingBody.Kind.choices],
        required=False,
    )
    username = _text("아이디", MAX_USERNAME_LENGTH, help_text="영문 소문자·숫자로 (예: police-kim)")
    name = _text("성명", 60)
    department = _text("소속 부서", 100, help_text="예: 형사과 강력1팀")
    position = _text("직급", 60, help_text="예: 경위")
    phone = _text("연락처", 40, help_text="예: 032-000-0000")
    email = forms.EmailField(
        label="전자우편",
        max_length=254,
        error_messages={
            "required": "전자우편을 입력하십시오",
            "invalid": "올바른 주소가 아닙니다 (예: kim@police.go.kr)",
        },
    )
    reason = _text("사유", 200, required=False, help_text="예: 공문 제2026-12호에 따른 담당자 등록")

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution_field = self.fields["institution"]
        body_field = self.fields["body"]
        assert isinstance(institution_field, forms.ModelChoiceField)
        assert isinstance(body_field, forms.ModelChoiceField)
        institution_field.queryset = institutions
        body_field.queryset = RequestingBody.objects.filter(institution__in=institutions, active=True)
