"""Forms of the health pages: a repair (제27조), a manual check and the period of the inspection log
(제31조④)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from jikimi.control.models import InspectionCheck
from jikimi.inventory.models import Device

TEXT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}
DAY = forms.DateInput(attrs={"type": "date", **TEXT})
MAX_PERIOD_DAYS = 366


class RepairForm(forms.Form):
    repair = forms.CharField(
        label="수리 내용",
        max_length=500,
        widget=forms.TextInput(attrs=TEXT),
        help_text="예: PoE 스위치 포트 교체, 카메라 재부팅",
        error_messages={"required": "수리 내용을 적으세요"},
    )
    repaired_by = forms.CharField(
        label="수리자(업체)",
        max_length=100,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "수리자를 적으세요"},
    )


class InspectionForm(forms.Form):
    device = forms.ModelChoiceField(
        label="기기",
        queryset=Device.objects.none(),
        required=False,
        empty_label="(전체 기기)",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "기기: 목록에서 고르세요"},
    )
    checked_on = forms.DateField(
        label="점검일", widget=DAY, error_messages={"invalid": "점검일: 날짜를 입력하세요"}
    )
    items = forms.CharField(
        label="점검 항목",
        max_length=300,
        widget=forms.TextInput(attrs=TEXT),
        help_text="예: 화각, 초점, 야간 화질, 음성 꺼짐(R13), 시각 표시",
    )
    result = forms.ChoiceField(label="결과", choices=InspectionCheck.Result.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="조치·비고", max_length=500, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, devices: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["device"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = devices


class PeriodForm(forms.Form):
    date_from = forms.DateField(label="시작일", required=False, widget=DAY)
    date_to = forms.DateField(label="종료일", required=False, widget=DAY)

    def period(self, today: date) -> tuple[date, date]:
        """The chosen period; this month so far when none (or a wrong one) is given."""
        default = (today.replace(day=1), today)
        if not self.is_valid():
            return default
        start = self.cleaned_data.get("date_from") or default[0]
        end = self.cleaned_data.get("date_to") or default[1]
        if end < start or end - start > timedelta(days=MAX_PERIOD_DAYS):
            return default
        return start, end
