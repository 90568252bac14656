"""Forms of the duties after a provision: the destruction report, the notice to the data subject, the
publication. They parse; the actions (actions/provision_*.py) decide."""

from __future__ import annotations

from datetime import date

from django import forms

from jikimi.disclosure.actions import provision_destruction, provision_notice, provision_publication
from jikimi.lib.input_limits import check_day

TEXT = {"class": "krds-input"}
DAY = {"type": "date", "class": "krds-input"}


def _day(value: date | None, label: str) -> date | None:
    if value is None:
        return None
    try:
        return check_day(value, label)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from None


class DestructionReportForm(forms.Form):
    destroyed_on = forms.DateField(
        label="파기 일자",
        widget=forms.DateInput(attrs=DAY, format="%Y-%m-%d"),
        error_messages={
            "required": "파기 일자를 입력하세요",
            "invalid": "파기 일자를 YYYY-MM-DD로 입력하세요",
        },
    )
    method = forms.CharField(
        label="파기 방법",
        max_length=provision_destruction.MAX_METHOD,
        help_text="예: 저장매체에서 복원이 불가능한 방법으로 영구 삭제, 저장매체 물리적 파쇄",
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "파기 방법을 입력하세요"},
    )

    def clean_destroyed_on(self) -> date | None:
        return _day(self.cleaned_data["destroyed_on"], "파기 일자")


class StaffDestructionReportForm(DestructionReportForm):
    scan = forms.FileField(
        label="파기 확인서(스캔)",
        help_text="제공받은 기관이 보낸 파기 확인서: JPG·PNG 이미지 또는 PDF",
        error_messages={"required": "파기 확인서(스캔)를 첨부하세요", "empty": "파기 확인서: 빈 파일입니다"},
    )


NOTICE_CHOICES = [
    ("", "(고르세요)"),
    (provision_notice.NOTIFIED, "통지함"),
    (provision_notice.UNIDENTIFIABLE, "통지하지 않음 — 정보주체를 특정할 수 없음"),
    (provision_notice.UNLOCATABLE, "통지하지 않음 — 소재지(연락처)를 파악할 수 없음"),
    (provision_notice.NOT_REQUIRED, "통지 대상 아님 (수사·재판 외의 제공)"),
]


class SubjectNoticeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="정보주체 통지",
        choices=NOTICE_CHOICES,
        widget=forms.Select(attrs={"class": "krds-form-select"}),
        error_messages={"required": "정보주체 통지 여부를 고르세요", "invalid_choice": "목록에서 고르세요"},
    )
    notified_on = forms.DateField(
        label="통지 일자",
        required=False,
        widget=forms.DateInput(attrs=DAY, format="%Y-%m-%d"),
        error_messages={"invalid": "통지 일자를 YYYY-MM-DD로 입력하세요"},
    )
    method = forms.CharField(
        label="통지 방법",
        required=False,
        max_length=provision_notice.MAX_METHOD,
        help_text="예: 등기우편, 전화, 문자메시지",
        widget=forms.TextInput(attrs=TEXT),
    )
    detail = forms.CharField(
        label="통지 내용 또는 통지하지 못한 사유",
        max_length=provision_notice.MAX_DETAIL,
        widget=forms.Textarea(attrs={"class": "krds-input", "rows": 3}),
        error_messages={"required": "통지 내용 또는 통지하지 못한 사유를 입력하세요"},
    )

    def clean_notified_on(self) -> date | None:
        return _day(self.cleaned_data["notified_on"], "통지 일자")


class PublicationForm(forms.Form):
    purpose = forms.CharField(
        label="공개하는 목적",
        max_length=provision_publication.MAX_TEXT,
        help_text="홈페이지에 그대로 실립니다: 이름·주소 등 개인정보를 쓰지 마세요",
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "공개하는 목적을 입력하세요"},
    )
    items = forms.CharField(
        label="공개하는 항목",
        max_length=provision_publication.MAX_TEXT,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "공개하는 항목을 입력하세요"},
    )
