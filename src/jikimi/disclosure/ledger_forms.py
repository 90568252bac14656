"""Forms of the 관리대장 pages: the filter (selects and dates), the correction, the figures' year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from jikimi.disclosure.ledger_queries import LedgerFilter, bodies_in
from jikimi.disclosure.models import LedgerEntry
from jikimi.inventory.models import Device
from jikimi.lib.input_limits import check_day

TEXT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}
DATE = {"type": "date", "class": "krds-input"}
MAX_TEXT = 100


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={"invalid": f"{label}을(를) YYYY-MM-DD로 입력하세요"},
    )


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="구분",
        required=False,
        choices=[("", "전체"), *LedgerEntry.Kind.choices],
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "구분은 목록에서 고르세요"},
    )
    date_from = _date("시작일")
    date_to = _date("종료일")
    device = forms.TypedChoiceField(
        label="기기",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "기기는 목록에서 고르세요"},
    )
    body = forms.ChoiceField(
        label="요청 기관",
        required=False,
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "요청 기관은 목록에서 고르세요"},
    )
    text = forms.CharField(
        label="검색어",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.TextInput(attrs=TEXT),
        help_text="파일명, 목적, 요구자, 담당자, 근거의 일부",
        error_messages={"max_length": f"검색어는 {MAX_TEXT}자 이하로 입력하세요"},
    )
    unapproved = forms.BooleanField(label="결재 전만", required=False)

    def __init__(self, *args: Any, entries: QuerySet[LedgerEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        devices = (
            Device.objects.filter(pk__in=entries.values("devices"))
            .select_related("device_group")
            .order_by("device_group__name", "name")
        )
        device_field: Any = self.fields["device"]
        device_field.choices = [("", "전체"), *((d.pk, f"{d.name} ({d.device_group.name})") for d in devices)]
        body_field: Any = self.fields["body"]
        body_field.choices = [("", "전체"), *((name, name) for name in bodies_in(entries))]

    def clean_date_from(self) -> Any:
        return self._day("date_from", "시작일")

    def clean_date_to(self) -> Any:
        return self._day("date_to", "종료일")

    def _day(self, name: str, label: str) -> Any:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        try:
            return check_day(value, label)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "종료일이 시작일보다 앞섭니다")
        return cleaned

    def chosen(self) -> LedgerFilter:
        """What was asked; nothing (everything) when the form has errors, which the page shows."""
        if not self.is_bound or not self.is_valid():
            return LedgerFilter()
        data = self.cleaned_data
        return LedgerFilter(
            kind=data["kind"] or "",
            date_from=data["date_from"],
            date_to=data["date_to"],
            device=data["device"],
            body=data["body"] or "",
            text=data["text"].strip(),
            unapproved=bool(data["unapproved"]),
        )


class CorrectionForm(forms.Form):
    """The fields of the 별지 as they should read; a new entry is written with them (the old stays)."""

    file_description = forms.CharField(label="파일명/형태", widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    officer_name = forms.CharField(label="담당자", max_length=200, widget=forms.TextInput(attrs=TEXT))
    purpose = forms.CharField(label="목적/사유", widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    party = forms.CharField(
        label="이용·제공받는 제3자/열람등 요구자",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    legal_basis = forms.CharField(
        label="이용·제공근거", max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    form = forms.CharField(
        label="이용·제공 형태", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    period = forms.CharField(label="기간", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    reason = forms.CharField(
        label="정정 사유",
        max_length=500,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
        error_messages={
            "required": "정정 사유를 적으십시오",
            "max_length": "정정 사유는 500자 이하로 적으십시오",
        },
    )

    EDITABLE = ("file_description", "officer_name", "purpose", "party", "legal_basis", "form", "period")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.EDITABLE:
            field = self.fields[name]
            field.error_messages["required"] = f"{field.label}을(를) 비워 둘 수 없습니다"
            field.error_messages["max_length"] = f"{field.label}이(가) 너무 깁니다"

    @classmethod
    def initial_of(cls, entry: LedgerEntry) -> dict[str, str]:
        return {name: getattr(entry, name) for name in cls.EDITABLE}

    def changes(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.EDITABLE}


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label="연도",
        coerce=int,
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "연도는 목록에서 고르세요"},
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field: Any = self.fields["year"]
        year_field.choices = [(y, f"{y}년") for y in years]
