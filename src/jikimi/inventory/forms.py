"""Forms of the staff pages. They parse and check shapes; the law's checks run in the action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from jikimi.inventory import models
from jikimi.inventory.actions import EDITABLE_FIELDS, LocationChange
from jikimi.inventory.register_file.schema import MAX_TEXT


class DeviceGroupChoiceField(forms.ModelChoiceField[models.DeviceGroup]):
    """A select of device groups that tells same-named groups apart: "방범용 — 교통정보과 (인천광역시)".

    Give it a queryset with select_related("department", "institution")."""

    def label_from_instance(self, obj: models.DeviceGroup) -> str:
        return obj.choice_label


# The help a field gets on the edit page while the register says it is not published (issue 16).
NOT_PUBLISHED_HELP = {
    "enabling_law": "공개 문서에 법령이 없습니다 (근거 법령 미공개). 기관이 근거로 삼은 법령을 적으면 방침을 공개할 수 있습니다 (R1, 법 제25조①1호)",
    "retention_reason": "공개 문서에 사유가 없습니다 (사유 미공개). 기관이 정한 사유를 적으면 방침을 공개할 수 있습니다 (R16)",
}


class DeviceGroupForm(forms.ModelForm[models.DeviceGroup]):
    reason = forms.CharField(
        label="변경 사유",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "krds-input"}),
        help_text="감사 기록에 남습니다 (예: 2025년 정기점검 결과 반영)",
    )

    class Meta:
        model = models.DeviceGroup
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "processing_method": forms.Textarea(attrs={"rows": 3}),
            "retention_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "attachment_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "attachment_date": {"invalid": "별첨 기준일은 날짜로 적습니다 (예: 2024-12-31)"},
            "retention_days": {"invalid": "보관 일수는 일수를 숫자로 적습니다 (예: 30)"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # R1, R16: a law or reason the institution does not publish is stored as null (issue 16) and
        # comes only from the register file; what the officer types here is the fact recorded — an
        # emptied box is none ("", refused where one is needed), never "not published" again.
        for name, not_published in NOT_PUBLISHED_HELP.items():
            field = self.fields[name]
            assert isinstance(field, forms.CharField)
            field.empty_value = ""
            if self.instance.pk is not None and getattr(self.instance, name) is None:
                field.help_text = not_published
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                # Inputs have limits: a text column without one (notes, processing method) gets the
                # register file's bound (register_file.schema.MAX_TEXT).
                field.max_length = MAX_TEXT
                field.validators.append(MaxLengthValidator(MAX_TEXT))
                field.widget.attrs.setdefault("maxlength", str(MAX_TEXT))
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "krds-form-select")
            elif not isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "krds-input")

    def changes(self) -> dict[str, Any]:
        """Only the fields the officer changed."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in EDITABLE_FIELDS}


class LocationForm(forms.Form):
    key = forms.SlugField(
        label="식별자", max_length=60, help_text="영문·숫자·-·_ (기기가 이 식별자로 위치를 가리킵니다)"
    )
    name = forms.CharField(label="위치", max_length=200)
    count = forms.IntegerField(
        label="대수",
        min_value=1,
        initial=1,
        required=False,
        help_text="공개 문서에 이 위치의 대수가 없으면 비워 두세요 (대수 미공개)",
        widget=forms.NumberInput(attrs={"placeholder": "미공개"}),
    )
    coverage = forms.CharField(label="촬영 범위", max_length=200, required=False)
    building = forms.CharField(label="건물", max_length=100, required=False)
    space_type = forms.ChoiceField(
        label="공간 유형", choices=models.Location.SpaceType.choices, initial="general"
    )
    retention = forms.CharField(label="보관 기간", max_length=60, required=False)
    # The machine meaning beside the published words (issue 16): the policy prints the words above,
    # the retention sweep and the recorder use these where the words have none ("30일 이내", "산불기간").
    retention_days = forms.IntegerField(
        label="보관 일수(기계용)",
        min_value=1,
        max_value=36_500,
        required=False,
        help_text="보관 기간 문구를 기계가 읽을 수 없을 때만 — 파기에 쓸 일수",
        error_messages={
            "invalid": "보관 일수는 일수를 숫자로 적습니다 (예: 30)",
            "min_value": "보관 일수는 1일 이상이어야 합니다",
            "max_value": "보관 일수가 너무 큽니다 (100년 이내로 적습니다)",
        },
    )
    recording_hours = forms.CharField(label="촬영 시간", max_length=200, required=False)
    recording_schedule = forms.CharField(
        label="녹화 일정(기계용)",
        max_length=200,
        required=False,
        help_text="촬영 시간 문구를 기계가 읽을 수 없을 때만 (예: 매일 09:00~18:00, 필요시)",
        error_messages={
            "max_length": "녹화 일정은 %(limit_value)d자 이내로 적습니다 (지금 %(show_value)d자)"
        },
    )
    storage_place = forms.CharField(label="보관 장소", max_length=200, required=False)
    # The site's place on the control centre's map, as the institution publishes it (its 공공데이터
    # CCTV정보); both or neither, within Korea (Location.clean and its validators, checked by the action).
    latitude = forms.FloatField(
        label="위도",
        required=False,
        help_text="WGS84 (예: 37.5665) — 기관이 공개한 좌표만, 비우면 좌표 미공개",
        error_messages={"invalid": "위도는 숫자로 적습니다 (예: 37.5665)"},
        widget=forms.NumberInput(attrs={"step": "any", "placeholder": "미공개"}),
    )
    longitude = forms.FloatField(
        label="경도",
        required=False,
        help_text="WGS84 (예: 126.9780)",
        error_messages={"invalid": "경도는 숫자로 적습니다 (예: 126.9780)"},
        widget=forms.NumberInput(attrs={"step": "any", "placeholder": "미공개"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "krds-form-select")
            elif not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "krds-input")


# Inputs have limits: the page adds rows ("위치 추가") up to MAX_LOCATION_ROWS; the register file takes
# more (register_file.schema.MAX_LOCATIONS), a list that long is kept in the file.
MAX_LOCATION_ROWS = 300
LocationFormSet = forms.formset_factory(
    LocationForm,
    extra=1,
    can_delete=True,
    max_num=MAX_LOCATION_ROWS,
    validate_max=True,
    absolute_max=MAX_LOCATION_ROWS,
)


def location_initial(group: models.DeviceGroup) -> list[dict[str, Any]]:
    return [{name: getattr(loc, name) for name in LocationForm.base_fields} for loc in group.locations.all()]


def location_changes(formset: Any) -> tuple[list[LocationChange], list[int]]:
    """The location list the officer wants, and for each entry the index of its form (for errors)."""
    out: list[LocationChange] = []
    indexes: list[int] = []
    for index, form in enumerate(formset.forms):
        if not form.has_changed() and not form.initial:
            continue  # an empty extra row
        if form.cleaned_data.get("DELETE") or not form.cleaned_data.get("name"):
            continue
        out.append(LocationChange(**{name: form.cleaned_data[name] for name in LocationForm.base_fields}))
        indexes.append(index)
    return out, indexes


class SiteCoordinatesForm(forms.Form):
    """The institution's 공공데이터포털 "CCTV정보" CSV, to fill its sites' coordinates (issue 17)."""

    file = forms.FileField(
        label="CCTV정보 파일 (CSV)",
        help_text="공공데이터포털 표준데이터 'CCTV정보' 파일 그대로 (UTF-8 또는 CP949/EUC-KR, 20MB 이하)",
        error_messages={"required": "올릴 CSV 파일을 고르세요", "empty": "빈 파일입니다"},
    )
    reason = forms.CharField(
        label="사유",
        max_length=500,
        help_text="감사 기록에 남습니다 (예: 2026년 6월 기준 CCTV정보 반영)",
        error_messages={"required": "사유를 적어야 합니다"},
    )
    dry_run = forms.BooleanField(label="미리 보기만 (저장하지 않음)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "krds-input", "accept": ".csv,text/csv"})
        self.fields["reason"].widget.attrs.setdefault("class", "krds-input")
