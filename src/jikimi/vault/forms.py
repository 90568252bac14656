"""Forms of the vault's staff pages. Times are entered in Asia/Seoul and converted to UTC by Django."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.http import QueryDict

from jikimi.inventory.forms import DeviceGroupChoiceField
from jikimi.inventory.models import DeviceGroup, Location
from jikimi.lib.credentials import split_credentials
from jikimi.lib.input_limits import HOLD_AHEAD, check_day, check_moment, check_span
from jikimi.vault.actions.devices import DeviceError, check_source_url

LOCAL_DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "krds-input"}, format="%Y-%m-%dT%H:%M"
)
TEXT = {"class": "krds-input"}


class DeviceForm(forms.Form):
    device_group = DeviceGroupChoiceField(
        queryset=DeviceGroup.objects.none(),
        label="기기 묶음",
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
    name = forms.CharField(label="기기명", max_length=100, widget=forms.TextInput(attrs=TEXT))
    # The group's locations, grouped by group: the device keeps footage as its location says (R16).
    location = forms.TypedChoiceField(
        label="설치 위치",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="대장에 적힌 기기 묶음의 위치 가운데 하나. 그 위치의 보관기간·촬영시간을 따릅니다 "
        "(위치를 나열하지 않는 묶음만 비워 둡니다)",
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
    source_url = forms.CharField(
        label="영상 주소",
        max_length=500,
        required=False,
        help_text="rtsp:// 또는 http(s):// 주소. 비우면 파일 등록 전용",
        widget=forms.TextInput(attrs=TEXT),
    )
    enabled = forms.BooleanField(label="사용", required=False, initial=True)

    def __init__(self, *args: Any, groups: QuerySet[DeviceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = groups.select_related("department", "institution")
        self.fields["device_group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["device_group"].error_messages["invalid_choice"] = (
            "대장에 없거나 권한이 없는 기기 묶음입니다 — 고를 수 있는 묶음: "
            + (", ".join(g.choice_label for g in groups) or "없음")
        )
        by_group: dict[str, list[tuple[int, str]]] = {}
        places = Location.objects.filter(device_group__in=groups)
        for location in places.select_related("device_group__department", "device_group__institution"):
            by_group.setdefault(location.device_group.choice_label, []).append((location.pk, location.name))
        self.fields["location"].choices = [  # type: ignore[attr-defined]
            ("", "위치 없음 (위치를 나열하지 않는 묶음)"),
            *sorted(by_group.items()),
        ]

    def clean_location(self) -> Location | None:
        pk = self.cleaned_data.get("location")
        return None if pk is None else Location.objects.filter(pk=pk).first()

    def clean_source_url(self) -> str:
        try:
            return check_source_url(self.cleaned_data["source_url"])
        except DeviceError as error:
            raise forms.ValidationError(str(error)) from error

    def forget_credentials(self) -> None:
        """Before a refused form is shown again: the camera's login is not sent back to the browser
        (R42: shown to nobody, the person who typed it included); they type it again."""
        if not self.is_bound:
            return
        bare, userinfo = split_credentials(self.data.get("source_url", ""))
        if userinfo:
            data = QueryDict(mutable=True)
            data.update(self.data)
            data["source_url"] = bare
            self.data = data
            self.add_error("source_url", "보안을 위해 영상 주소의 계정·비밀번호는 다시 입력하십시오")


class MoveDeviceForm(forms.Form):
    """Where a device moves: a location of the register, grouped by device group (R16: it then keeps
    footage as that location says)."""

    location = forms.TypedChoiceField(
        label="새 설치 위치",
        coerce=int,
        help_text="옮긴 뒤에는 새 위치의 보관기간·촬영시간을 따릅니다 (이미 보관한 영상도)",
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
    reason = forms.CharField(
        label="옮기는 사유",
        max_length=500,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "예: 승강기 교체 공사로 카메라 재설치"}),
    )
    confirm = forms.BooleanField(
        label="위 보관기간·촬영시간 변경을 확인했습니다", required=False, widget=forms.CheckboxInput()
    )

    def __init__(self, *args: Any, groups: QuerySet[DeviceGroup], device: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_group: dict[str, list[tuple[int, str]]] = {}
        places = Location.objects.filter(device_group__in=groups).exclude(pk=device.location_id)
        places = places.select_related("device_group__department", "device_group__institution")
        for location in places.order_by("device_group__name", "position"):
            terms = location.retention or location.device_group.retention
            by_group.setdefault(location.device_group.choice_label, []).append(
                (location.pk, f"{location.name} (보관기간 {terms or '없음'})")
            )
        self.fields["location"].choices = [("", "위치를 고르세요"), *by_group.items()]  # type: ignore[attr-defined]
        self.fields["location"].error_messages["invalid_choice"] = (
            "대장에 없거나 권한이 없는 위치입니다 — 목록에서 고르세요"
        )

    def clean_location(self) -> Location:
        found = Location.objects.filter(pk=self.cleaned_data["location"]).first()
        if found is None:
            raise forms.ValidationError("대장에 없는 위치입니다 — 목록에서 고르세요")
        return found


class UploadForm(forms.Form):
    file = forms.FileField(
        label="영상 파일", help_text="MP4, MPEG-TS, MKV (H.264/HEVC). 음성은 저장하지 않습니다."
    )
    start = forms.DateTimeField(label="촬영 시작 (한국 시각)", widget=LOCAL_DATETIME)


def _in_range(value: Any, field: forms.Field, check: Any) -> Any:
    """Inputs have limits: a day or time outside the sane window is refused at its field."""
    if value is None:
        return value
    try:
        return check(value, str(field.label))
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error


class WindowForm(forms.Form):
    start = forms.DateTimeField(label="시작 (한국 시각)", widget=LOCAL_DATETIME)
    end = forms.DateTimeField(label="끝 (한국 시각)", widget=LOCAL_DATETIME)

    def clean_start(self) -> datetime | None:
        return _in_range(self.cleaned_data.get("start"), self.fields["start"], check_moment)  # type: ignore[no-any-return]

    def clean_end(self) -> datetime | None:
        return _in_range(self.cleaned_data.get("end"), self.fields["end"], check_moment)  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end"):
            if data["end"] <= data["start"]:
                raise forms.ValidationError("끝 시각이 시작 시각보다 늦어야 합니다")
            try:
                check_span(data["start"], data["end"])
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        return data


def parse_window(data: Any) -> tuple[datetime, datetime]:
    """A window from query parameters as the staff pages read them; ValueError says what is wrong."""
    form = WindowForm(data)
    if not form.is_valid():
        # A parameter's error names the parameter; a problem of the window as a whole needs no name.
        problems = "; ".join(
            " ".join(str(e) for e in v) if k == NON_FIELD_ERRORS else f"{k}: {' '.join(str(e) for e in v)}"
            for k, v in form.errors.items()
        )
        raise ValueError(f"구간이 올바르지 않습니다 — {problems}")
    return form.cleaned_data["start"], form.cleaned_data["end"]


class HoldForm(WindowForm):
    basis = forms.CharField(label="보존 근거", max_length=300, widget=forms.TextInput(attrs=TEXT))
    requester = forms.CharField(label="요청자", max_length=200, widget=forms.TextInput(attrs=TEXT))
    ends_on = forms.DateField(
        label="보존 종료일", widget=forms.DateInput(attrs={"type": "date", "class": "krds-input"})
    )
    case_reference = forms.CharField(
        label="사건·요청 번호",
        max_length=100,
        required=False,
        help_text="사건을 위해 보존하면 적으세요: 그 사건이 끝나면 분리 보관도 끝납니다",
        widget=forms.TextInput(attrs=TEXT),
    )

    def clean_ends_on(self) -> Any:
        return _in_range(self.cleaned_data.get("ends_on"), self.fields["ends_on"], _hold_end)


def _hold_end(value: date, field: str) -> date:
    return check_day(value, field, ahead=HOLD_AHEAD)


class ExtendForm(forms.Form):
    ends_on = forms.DateField(
        label="새 보존 종료일", widget=forms.DateInput(attrs={"type": "date", "class": "krds-input"})
    )
    reason = forms.CharField(label="연장 사유", max_length=300, widget=forms.TextInput(attrs=TEXT))

    def clean_ends_on(self) -> Any:
        return _in_range(self.cleaned_data.get("ends_on"), self.fields["ends_on"], _hold_end)


class TriggerForm(forms.Form):
    reason = forms.CharField(label="사유", max_length=300, widget=forms.TextInput(attrs=TEXT))
    whole_group = forms.BooleanField(label="기기 묶음 전체", required=False)


class ReleaseForm(forms.Form):
    reason = forms.CharField(label="해제 사유", max_length=300, widget=forms.TextInput(attrs=TEXT))


class PeriodForm(forms.Form):
    since = forms.DateField(
        label="부터", widget=forms.DateInput(attrs={"type": "date", "class": "krds-input"})
    )
    until = forms.DateField(
        label="까지", widget=forms.DateInput(attrs={"type": "date", "class": "krds-input"})
    )

    def clean_since(self) -> Any:
        return _in_range(self.cleaned_data.get("since"), self.fields["since"], check_day)

    def clean_until(self) -> Any:
        return _in_range(self.cleaned_data.get("until"), self.fields["until"], check_day)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError("'까지'가 '부터'보다 앞섭니다")
        return data


class PlaybackForm(WindowForm):
    purpose = forms.CharField(
        label="열람 목적",
        max_length=300,
        help_text="열람 목적은 열람자·시각·접속지와 함께 감사 기록에 남습니다 (R41)",
        widget=forms.TextInput(attrs=TEXT),
    )
