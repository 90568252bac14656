"""Forms of the operating committee's page (오산시 지침 제24조); the actions validate."""

from __future__ import annotations

from typing import Any

from django import forms

from jikimi.control.models import AgendaItem, CommitteeMember, Decision
from jikimi.control.room_forms import SELECT, TEXT, _text

DATE = forms.DateInput(attrs={"type": "date", **TEXT})
DATE_ERRORS = {"required": "입력하세요", "invalid": "날짜를 입력하세요 (예: 2027-01-01)"}


def _choice(label: str, queryset: Any, *, required: bool = True) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        empty_label="(고르세요)",
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "고르세요", "invalid_choice": "목록에서 고르세요"},
    )


class MemberForm(forms.Form):
    name = _text("성명", 60)
    affiliation = _text("소속·직위", 100)
    kind = forms.ChoiceField(
        label="구분", choices=CommitteeMember.Kind.choices, widget=forms.Select(attrs=SELECT)
    )
    office = forms.ChoiceField(
        label="직책",
        choices=CommitteeMember.Office.choices,
        initial="member",
        widget=forms.Select(attrs=SELECT),
    )
    recommended_by = _text("추천 기관(위촉직)", 100, required=False)
    starts_on = forms.DateField(
        label="임기 시작(위촉직)", required=False, widget=DATE, error_messages=DATE_ERRORS
    )
    ends_on = forms.DateField(
        label="임기 끝(위촉직)", required=False, widget=DATE, error_messages=DATE_ERRORS
    )


class TermForm(forms.Form):
    starts_on = forms.DateField(label="임기 시작", widget=DATE, error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label="임기 끝", widget=DATE, error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = _choice("위원", members)
        self.order_fields(["member", "starts_on", "ends_on"])


class MeetingForm(forms.Form):
    title = _text("회의명", 100)
    held_on = forms.DateField(label="개최일", widget=DATE, error_messages=DATE_ERRORS)
    place = _text("장소", 100, required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"] = forms.ModelMultipleChoiceField(
            label="참석 위원", queryset=members, required=False, widget=forms.CheckboxSelectMultiple
        )


class AgendaForm(forms.Form):
    topic = forms.ChoiceField(
        label="안건 구분", choices=AgendaItem.Topic.choices, widget=forms.Select(attrs=SELECT)
    )
    title = _text("안건", 200)

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = _choice("회의", meetings)
        self.order_fields(["meeting", "topic", "title"])


class DecisionForm(forms.Form):
    resolution = forms.ChoiceField(
        label="의결 결과", choices=Decision.Outcome.choices, widget=forms.Select(attrs=SELECT)
    )
    text = _text("의결 내용", 4000, area=True)

    def __init__(self, *args: Any, items: Any, provisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"] = _choice("안건", items)
        self.fields["provisions"] = forms.ModelMultipleChoiceField(
            label="심의한 제3자 제공(목적 외 이용·제공 심의, 제24조②4호)",
            queryset=provisions,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.order_fields(["item", "resolution", "text", "provisions"])
