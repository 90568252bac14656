from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from jikimi.audit.events import APP_LABELS, AuditEvent, app_of
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import NO_ACCOUNT, EntryFilter, people_in, target_types_in
from jikimi.lib.clock import today
from jikimi.lib.input_limits import check_day, check_printable

MAX_TARGET_TEXT = 100
MAX_REASON = 500
MIN_REASON = 4
FILTER_FIELDS = ("actor", "action", "target_type", "target", "date_from", "date_to", "include_views")


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


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": f"{label}은(는) 2026-03-01처럼 연-월-일로 적으십시오."},
    )


def _too_long(label: str, limit: int) -> dict[str, str]:
    return {
        "max_length": f"{label}은(는) {limit}자 이하로 적으십시오 (지금 %(show_value)d자).",
        "null_characters_not_allowed": "제어 문자(U+0000)는 쓸 수 없습니다",
    }


class EntryFilterForm(forms.Form):
    """The audit log's filter: who, which event, about what, when (R40). `among` is what the reader may
    read (jikimi.audit.access.readable_entries): the people and kinds of target offered come from it."""

    actor = forms.ChoiceField(
        label="행위자",
        required=False,
        error_messages={"invalid_choice": "행위자 목록에 없는 사람입니다. 목록에서 고르십시오."},
    )
    action = forms.ChoiceField(
        label="행위",
        choices=event_choices,
        required=False,
        error_messages={"invalid_choice": "행위 '%(value)s'은(는) 목록에 없습니다. 목록에서 고르십시오."},
    )
    target_type = forms.ChoiceField(
        label="대상 유형",
        required=False,
        error_messages={"invalid_choice": "대상 유형 목록에 없는 값입니다. 목록에서 고르십시오."},
    )
    target = forms.CharField(
        label="대상",
        max_length=MAX_TARGET_TEXT,
        required=False,
        help_text="이름의 일부 또는 번호",
        error_messages=_too_long("대상", MAX_TARGET_TEXT),
    )
    date_from = _date_field("시작일")
    date_to = _date_field("종료일")
    include_views = forms.BooleanField(label="감사 기록 열람 포함", required=False)

    def __init__(self, *args: Any, among: QuerySet[AuditEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(str(pk), label) for pk, label in people_in(among)]
        self.fields["actor"].choices = [("", "전체"), *people, (NO_ACCOUNT, "계정 없음(시스템·익명)")]  # type: ignore[attr-defined]
        self.fields["target_type"].choices = [("", "전체"), *target_types_in(among)]  # type: ignore[attr-defined]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                continue  # the browser's own box: KRDS's needs markup of its own around it
            css = "krds-form-select" if isinstance(field.widget, forms.Select) else "krds-input"
            field.widget.attrs.setdefault("class", css)

    def clean_target(self) -> str:
        try:
            return check_printable(self.cleaned_data.get("target", "").strip())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

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

    def described(self) -> dict[str, str]:
        """What was asked, as the log records it: a chosen person or kind of target by its name."""
        data, shown = self.cleaned_data, {}
        for name in FILTER_FIELDS:
            value = data.get(name)
            if not value:
                continue
            if name in ("actor", "target_type"):
                value = dict(self.fields[name].choices).get(value, value)  # type: ignore[attr-defined]
            elif name == "include_views":
                value = "예"
            shown[name] = str(value)
        return shown

    def kept_fields(self) -> list[tuple[str, str]]:
        """The filter as hidden fields of the export form: the export is of what the page shows."""
        data = self.cleaned_data
        kept = []
        for name in FILTER_FIELDS:
            value = data.get(name)
            if value:
                kept.append((name, "on" if value is True else str(value)))
        return kept

    def to_filter(self) -> EntryFilter:
        data = self.cleaned_data
        return EntryFilter(
            actor=data.get("actor", ""),
            action=data.get("action", "").strip(),
            target_type=data.get("target_type", ""),
            target=data.get("target", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            include_views=bool(data.get("include_views")),
        )


class ExportForm(forms.Form):
    """Why the log is exported: an export of the log is a download of personal data (R40)."""

    reason = forms.CharField(
        label="내려받는 사유",
        max_length=MAX_REASON,
        error_messages={
            "required": "내려받는 사유를 적으십시오 (예: 2026년 11월 접속기록 월간 점검).",
            **_too_long("내려받는 사유", MAX_REASON),
        },
        widget=forms.TextInput(attrs={"class": "krds-input"}),
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < MIN_REASON:
            raise forms.ValidationError(f"내려받는 사유를 {MIN_REASON}자 이상 구체적으로 적으십시오.")
        try:
            return check_printable(reason)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


MAX_COMMENT = 2000


def _month_value(raw: str) -> date:
    """'2026-11' → 2026-11-01; ValidationError in Korean otherwise, and for a month out of range."""
    try:
        if len(raw) > 7:
            raise ValueError(raw)
        year, month = (int(part) for part in raw.strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise forms.ValidationError("점검 월은 2026-11처럼 연-월로 적으십시오.") from None
    try:
        check_day(first, "점검 월")
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error
    if first > today().replace(day=1):
        raise forms.ValidationError(f"{first:%Y년 %m월}은(는) 아직 오지 않은 달입니다.")
    return first


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "class": "krds-input"})

    def to_python(self, value: Any) -> Any:
        raw = super().to_python(value)
        return _month_value(raw) if raw else None


class ReviewMonthForm(forms.Form):
    month = MonthField(label="점검 월", required=False)


class SignReviewForm(forms.Form):
    month = MonthField(
        label="점검 월", widget=forms.HiddenInput, error_messages={"required": "점검 월이 없습니다."}
    )
    comment = forms.CharField(
        label="점검 의견",
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "class": "krds-input"}),
        error_messages={
            "required": "점검 의견을 적으십시오 (예: 근무시간 외 열람 2건 사유 확인, 이상 없음).",
            **_too_long("점검 의견", MAX_COMMENT),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "sign_%s")  # beside the month form on the same page: ids of its own
        super().__init__(*args, **kwargs)

    def clean_comment(self) -> str:
        try:
            return check_printable(self.cleaned_data["comment"].strip())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
