"""Forms of the officers' request pages: the list's filter, the identity check, postponement, ending,
the sites of a typed place."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from jikimi.disclosure.actions.closing import MAX_REASON
from jikimi.disclosure.actions.identity import MAX_DOCUMENT, MAX_NOTES
from jikimi.disclosure.actions.places import MAX_NOTE
from jikimi.disclosure.models import IdentityCheck, SubjectRequest
from jikimi.inventory.models import Location
from jikimi.lib.input_limits import check_day

TEXT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}

STATE_FILTERS = [("open", "처리 중 전체"), ("all", "전체"), *SubjectRequest.State.choices]


class RequestFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="진행 상태", choices=STATE_FILTERS, required=False, widget=forms.Select(attrs=SELECT)
    )
    overdue = forms.BooleanField(label="기한 지난 것만", required=False)

    def chosen(self) -> tuple[str, bool]:
        """(state, overdue) as asked; a bad value reads as the default, the list says so."""
        if not self.is_valid():
            return "open", False
        return self.cleaned_data["state"] or "open", bool(self.cleaned_data["overdue"])


class IdentityForm(forms.Form):
    method = forms.ChoiceField(
        label="확인 방법",
        choices=[("", "(고르세요)"), *IdentityCheck.Method.choices],
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "확인 방법을 고르세요"},
    )
    document = forms.CharField(
        label="확인한 서류",
        max_length=MAX_DOCUMENT,
        help_text="예: 주민등록증, 운전면허증, 위임장과 대리인 주민등록증",
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "확인한 서류를 입력하세요"},
    )
    notes = forms.CharField(
        label="비고",
        max_length=MAX_NOTES,
        required=False,
        widget=forms.Textarea(attrs={"class": "krds-input", "rows": 2}),
    )


class PostponeForm(forms.Form):
    new_due_on = forms.DateField(
        label="새 처리 기한",
        widget=forms.DateInput(attrs={"type": "date", "class": "krds-input"}, format="%Y-%m-%d"),
        error_messages={
            "required": "새 처리 기한을 입력하세요",
            "invalid": "새 처리 기한을 YYYY-MM-DD로 입력하세요",
        },
    )
    reason = forms.CharField(
        label="연장 사유",
        max_length=MAX_REASON,
        help_text="청구인에게 그대로 통지됩니다 (법 제35조③ 단서)",
        widget=forms.Textarea(attrs={"class": "krds-input", "rows": 3}),
        error_messages={"required": "연장 사유를 입력하세요"},
    )

    def clean_new_due_on(self) -> object:
        value = self.cleaned_data["new_due_on"]
        try:
            return check_day(value, "새 처리 기한")
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="사유",
        max_length=MAX_REASON,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "사유를 입력하세요"},
    )


class SiteChoices(forms.ModelMultipleChoiceField[Location]):
    """Sites named with their device group, so that two departments' same-named sites differ."""

    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.name} ({obj.device_group.name})"


class PlaceForm(forms.Form):
    """The sites a typed 설치장소 means (actions.places): only sites of the officer's own groups that the
    request does not name yet are offered; anything else posted is refused, naming the field."""

    locations = SiteChoices(
        label="설치장소",
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="직접 입력한 장소를 비추는 기관의 설치장소를 고르세요 (담당하는 부서의 장소만 보입니다)",
        error_messages={
            "required": "직접 입력한 장소에 해당하는 설치장소를 하나 이상 고르세요",
            "invalid_choice": (
                "고를 수 없는 설치장소입니다 (%(value)s): 담당 범위 밖이거나 이미 이 청구의 설치장소입니다"
            ),
            "invalid_pk_value": "설치장소를 목록에서 고르세요 (%(pk)s은(는) 설치장소가 아닙니다)",
        },
    )
    note = forms.CharField(
        label="지정 근거",
        max_length=MAX_NOTE,
        required=False,
        help_text="예: 첨부한 약도로 확인 — 정문 1번 카메라가 비추는 곳",
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, choices: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["locations"]
        assert isinstance(field, SiteChoices)
        field.queryset = choices
