"""Forms of the control centre's roster, handovers, visits and security checks (the actions validate)."""

from __future__ import annotations

from typing import Any

from django import forms

from jikimi.control.door_log import MAX_BYTES
from jikimi.control.models import CHECKLIST, Shift, ShiftMember

TEXT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local", **TEXT}, format="%Y-%m-%dT%H:%M")
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
MEMBER_ROWS = 4


def _text(label: str, longest: int, *, required: bool = True, area: bool = False) -> forms.CharField:
    widget = forms.Textarea(attrs={**TEXT, "rows": 3}) if area else forms.TextInput(attrs=TEXT)
    return forms.CharField(
        label=label,
        max_length=longest,
        required=required,
        widget=widget,
        error_messages={"max_length": f"{longest}자까지 쓸 수 있습니다", "required": "입력하세요"},
    )


def _person(label: str, staff: Any, *, required: bool = True) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(
        label=label,
        queryset=staff,
        required=required,
        empty_label="(고르세요)",
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "고르세요", "invalid_choice": "목록에서 고르세요"},
    )


class ShiftForm(forms.Form):
    kind = forms.ChoiceField(label="근무 구분", choices=Shift.Kind.choices, widget=forms.Select(attrs=SELECT))
    starts_at = forms.DateTimeField(label="시작", input_formats=MOMENT_FORMATS, widget=MOMENT)
    ends_at = forms.DateTimeField(label="끝", input_formats=MOMENT_FORMATS, widget=MOMENT)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MEMBER_ROWS + 1):
            self.fields[f"person_{number}"] = _person(f"근무자 {number}", staff, required=number == 1)
            self.fields[f"duty_{number}"] = forms.ChoiceField(
                label=f"근무 형태 {number}",
                choices=ShiftMember.Duty.choices,
                widget=forms.Select(attrs=SELECT),
            )

    def members(self) -> list[tuple[Any, str]]:
        rows = []
        for number in range(1, MEMBER_ROWS + 1):
            person = self.cleaned_data.get(f"person_{number}")
            if person is not None:
                rows.append((person, self.cleaned_data[f"duty_{number}"]))
        return rows

    def member_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"person_{n}"], self[f"duty_{n}"]) for n in range(1, MEMBER_ROWS + 1)]


class HandoverForm(forms.Form):
    notes = _text("인계 사항", 4000, area=True)
    open_matters = _text("미결 사항", 4000, required=False, area=True)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_by"] = _person("인수자", staff)
        self.order_fields(["received_by", "notes", "open_matters"])


class _CheckFields(forms.Form):
    confirmed = forms.MultipleChoiceField(
        label="확인 항목",
        choices=list(CHECKLIST.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = _text("특이 사항", 300, required=False)


class ShiftCheckForm(_CheckFields):
    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person("검색 대상(교대 근무자)", staff)
        self.order_fields(["person", "confirmed", "findings"])


class VisitRequestForm(forms.Form):
    visitor_name = _text("방문자 성명", 60)
    organisation = _text("소속", 100)
    purpose = _text("방문 목적", 200)
    visit_on = forms.DateField(
        label="방문일",
        widget=forms.DateInput(attrs={"type": "date", **TEXT}),
        error_messages={"required": "입력하세요", "invalid": "날짜를 입력하세요 (예: 2026-12-08)"},
    )
    host = _text("방문 대상(면담자)", 60)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "승인"), ("refuse", "거부")])
    note = _text("의견", 200, required=False)


class EntryForm(forms.Form):
    badge = _text("출입증 번호", 40)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["escort"] = _person("동행자", staff)


class ExitForm(_CheckFields):
    pass


class DoorLogForm(forms.Form):
    file = forms.FileField(
        label="출입통제기록 파일(CSV)",
        help_text=f"머리행 '일시,카드번호,성명,출입문,구분', 최대 {MAX_BYTES // 1024 // 1024}MB",
        error_messages={"required": "파일을 고르세요", "empty": "빈 파일입니다"},
    )
