"""Forms of the incident pages (오산시 지침 제21조③). Times are typed in Korean time (Asia/Seoul).

The incident's page shows the report, follow-up and closure forms together: each is used with its own
prefix ("report", "follow_up", "close") so that their fields' ids never collide."""

from __future__ import annotations

from typing import Any

from django import forms

from jikimi.control.models import Incident
from jikimi.inventory.models import Device

TEXT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}
# To the second: the bookmark is a moment in the footage.
MOMENT = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": "1", "class": "krds-input"}, format="%Y-%m-%dT%H:%M:%S"
)
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]


def _moment(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=MOMENT_FORMATS,
        widget=MOMENT,
        error_messages={
            "invalid": f"{label}: 날짜와 시각을 입력하세요",
            "required": f"{label}을(를) 입력하세요",
        },
    )


class IncidentForm(forms.Form):
    device = forms.ModelChoiceField(
        label="기기",
        queryset=Device.objects.none(),
        empty_label="(기기를 고르세요)",
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "기기를 고르세요", "invalid_choice": "기기: 목록에서 고르세요"},
    )
    seen_at = _moment("발견 시각 (영상 책갈피)")
    kind = forms.ChoiceField(
        label="구분",
        choices=[("", "(고르세요)"), *Incident.Kind.choices],
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "구분을 고르세요", "invalid_choice": "구분: 목록에서 고르세요"},
    )
    description = forms.CharField(
        label="상황",
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
        help_text="무엇을 보았는지 (예: 남성 2명 몸싸움, 1명 쓰러짐)",
        error_messages={"required": "상황을 적으세요"},
    )

    def __init__(self, devices: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["device"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = devices


class ReportForm(forms.Form):
    channel = forms.ChoiceField(
        label="통보 기관",
        choices=[("", "(고르세요)"), *Incident.Channel.choices],
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "통보 기관을 고르세요", "invalid_choice": "통보 기관: 목록에서 고르세요"},
    )
    reported_at = _moment("통보 시각")
    receiver = forms.CharField(
        label="접수자",
        max_length=100,
        widget=forms.TextInput(attrs=TEXT),
        help_text="예: 112지령실 경위 홍길동",
        error_messages={"required": "접수자를 적으세요"},
    )
    note = forms.CharField(
        label="통보 내용", max_length=500, required=False, widget=forms.TextInput(attrs=TEXT)
    )


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label="후속 조치",
        max_length=500,
        widget=forms.TextInput(attrs=TEXT),
        help_text="예: 지구대 출동, 2명 임의동행",
        error_messages={"required": "후속 조치 내용을 적으세요"},
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label="종결 내용",
        max_length=500,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "종결 내용을 적으세요"},
    )
    hold_decision = forms.ChoiceField(
        label="분리 보관",
        choices=Incident.HoldDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "분리 보관을 해제할지 유지할지 고르세요"},
    )
    keep_until = forms.DateField(
        label="보존 종료일 (유지할 때, 늦출 경우)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", **TEXT}),
        help_text="수사기관의 제공 요청이 올 예정이면 그때까지 늦춥니다",
        error_messages={"invalid": "보존 종료일: 날짜를 입력하세요"},
    )
