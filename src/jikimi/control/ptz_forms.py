"""Forms of the PTZ page (R14): a move to an approved preset, a manual move with its reason, an alert's closing."""

from __future__ import annotations

from typing import Any

from django import forms

from jikimi.inventory.models import PtzPreset
from jikimi.rules.ptz import PAN_TILT_RANGE, ZOOM_RANGE

TEXT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}


def _coordinate(label: str, low: float, high: float, hint: str) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"step": "0.01", **TEXT}),
        help_text=f"{low}~{high} ({hint})",
        error_messages={
            "required": f"{label} 값을 적으세요",
            "invalid": f"{label}: 숫자로 적으세요",
            "min_value": f"{label}: {low} 이상이어야 합니다",
            "max_value": f"{label}: {high} 이하여야 합니다",
        },
    )


class PresetChoiceField(forms.ModelChoiceField[PtzPreset]):
    def label_from_instance(self, obj: PtzPreset) -> str:
        return f"{obj.name} (팬 {obj.pan:+.2f}, 틸트 {obj.tilt:+.2f}, 줌 {obj.zoom:.2f})"


class PresetMoveForm(forms.Form):
    preset = PresetChoiceField(
        label="승인 프리셋",
        queryset=PtzPreset.objects.none(),
        widget=forms.Select(attrs=SELECT),
        empty_label=None,
        error_messages={"required": "프리셋을 고르세요", "invalid_choice": "승인 프리셋 목록에서 고르세요"},
    )
    reason = forms.CharField(
        label="사유",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text="비우면 '승인 프리셋으로 이동'으로 기록됩니다",
    )

    def __init__(self, *args: Any, location_id: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["preset"]
        assert isinstance(field, PresetChoiceField)
        presets = PtzPreset.objects.none()
        if location_id is not None:
            presets = PtzPreset.objects.filter(location_id=location_id).order_by("position", "pk")
        field.queryset = presets


class ManualMoveForm(forms.Form):
    pan = _coordinate("팬", *PAN_TILT_RANGE, "왼쪽 -, 오른쪽 +")
    tilt = _coordinate("틸트", *PAN_TILT_RANGE, "아래 -, 위 +")
    zoom = _coordinate("줌", *ZOOM_RANGE, "0 넓게, 1 당겨서")
    reason = forms.CharField(
        label="사유",
        max_length=500,
        widget=forms.TextInput(attrs=TEXT),
        help_text="승인 프리셋 밖으로 움직이는 까닭 (오산시 지침 제18조①: 설치목적 밖 조작 금지). 감사 기록과 경보에 남습니다",
        error_messages={"required": "승인 프리셋 밖으로 움직이려면 사유를 적으세요 (R14)"},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", "manual-%s")  # beside the preset form on one page: ids of its own
        super().__init__(*args, **kwargs)


class CloseAlertForm(forms.Form):
    note = forms.CharField(
        label="확인 내용",
        max_length=500,
        widget=forms.TextInput(attrs=TEXT),
        help_text="예: 정문 프리셋으로 복귀 확인, 112 신고 건 추적으로 확인",
        error_messages={"required": "확인 내용을 적으세요"},
    )
