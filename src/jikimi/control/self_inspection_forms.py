"""Forms of the self-inspection page (R8); the actions validate."""

from __future__ import annotations

from typing import Any

from django import forms

from jikimi.control.models import SelfInspectionItem
from jikimi.control.room_forms import SELECT, TEXT, _text

DATE = forms.DateInput(attrs={"type": "date", **TEXT})


class StartForm(forms.Form):
    year = forms.TypedChoiceField(
        label="점검 연도",
        coerce=int,
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "고르세요", "invalid_choice": "목록에서 고르세요"},
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}년") for y in years]  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="판정",
        choices=[("", "(고르세요)"), *SelfInspectionItem.AnswerChoice.choices],
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "고르세요", "invalid_choice": "목록에서 고르세요"},
    )
    remark = _text("비고", 1000, required=False, area=True)


class FindingForm(forms.Form):
    item = forms.ModelChoiceField(
        label="점검 항목",
        queryset=SelfInspectionItem.objects.none(),
        required=False,
        empty_label="점검 전반",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "목록에서 고르세요"},
    )
    finding = _text("지적 사항", 1000, area=True)
    action = _text("후속 조치", 1000, area=True)
    due_on = forms.DateField(
        label="조치 기한",
        required=False,
        widget=DATE,
        error_messages={"invalid": "날짜를 입력하세요 (예: 2027-01-31)"},
    )

    def __init__(self, *args: Any, items: Any, titles: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        field.queryset = items  # type: ignore[attr-defined]
        field.label_from_instance = lambda item: f"{item.position}. {titles[item.code]}"  # type: ignore[attr-defined]


class CompleteForm(forms.Form):
    summary = _text("종합 의견", 2000, area=True)
