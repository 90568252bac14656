from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from jikimi.audit.events import APP_LABELS, AuditEvent, app_of
from jikimi.audit.queries import EntryFilter
from jikimi.lib.input_limits import check_day


def event_choices() -> list[tuple[str, Any]]:
    """The 행위 select: 전체; then per app, the whole app and each of its events by its Korean label."""
    groups: list[tuple[str, Any]] = [("", "전체")]
    for app, app_label in APP_LABELS.items():
        events = [(event.value, event.label) for event in AuditEvent if app_of(event) == app]
        groups.append((app_label, [(app, f"{app_label} 전체"), *events]))
    return groups


def _in_range(value: date | None, label: str) -> date | None:
    """Inputs have limits: a day outside 2000-01-01 … a year ahead is refused at its field."""
    if value is None:
        return None
    try:
        return check_day(value, label)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error


class EntryFilterForm(forms.Form):
    actor = forms.CharField(
        label="행위자", max_length=150, required=False, help_text="아이디 또는 이름의 일부"
    )
    action = forms.ChoiceField(
        label="행위",
        choices=event_choices,
        required=False,
        error_messages={"invalid_choice": "행위 '%(value)s'은(는) 목록에 없습니다. 목록에서 고르십시오."},
    )
    target = forms.CharField(label="대상", max_length=300, required=False)
    date_from = forms.DateField(
        label="시작일", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="종료일", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "krds-form-select" if isinstance(field.widget, forms.Select) else "krds-input"
            field.widget.attrs.setdefault("class", css)

    def clean_date_from(self) -> Any:
        return _in_range(self.cleaned_data.get("date_from"), "시작일")

    def clean_date_to(self) -> Any:
        return _in_range(self.cleaned_data.get("date_to"), "종료일")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "종료일이 시작일보다 앞섭니다.")
        return cleaned

    def to_filter(self) -> EntryFilter:
        data = self.cleaned_data
        return EntryFilter(
            actor=data.get("actor", "").strip(),
            action=data.get("action", "").strip(),
            target=data.get("target", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
