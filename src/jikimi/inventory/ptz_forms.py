"""Forms of a location's approved PTZ presets and privacy zones (R14). They check shapes and the ranges
of the ONVIF generic spaces (`jikimi.rules.ptz`), each error naming its field; the register's own rules
(a key once per location, a preset looking into a privacy zone) run in the action, as for the file."""

from __future__ import annotations

from typing import Any

from django import forms

from jikimi.inventory.register_forms import KEY_HELP, REASON_HELP
from jikimi.rules import ptz as rules

_PAN_TILT_HELP = f"ONVIF 좌표 {rules.PAN_TILT_RANGE[0]}~{rules.PAN_TILT_RANGE[1]}"
_ZOOM_HELP = f"ONVIF 좌표 {rules.ZOOM_RANGE[0]}(광각)~{rules.ZOOM_RANGE[1]}(망원)"


def _number(label: str, low: float, high: float, help_text: str, **kwargs: Any) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        error_messages={
            "required": "적어야 합니다",
            "invalid": "숫자로 적으세요 (예: 0.25)",
            "min_value": f"{low} 이상이어야 합니다 ({help_text})",
            "max_value": f"{high} 이하여야 합니다 ({help_text})",
        },
        widget=forms.NumberInput(attrs={"class": "krds-input", "step": "any"}),
        **kwargs,
    )


def _text(label: str, max_length: int, help_text: str = "", **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "required": "적어야 합니다",
            "max_length": f"{max_length}자 이하여야 합니다",
        },
        widget=forms.TextInput(attrs={"class": "krds-input"}),
        **kwargs,
    )


def _key() -> forms.SlugField:
    return forms.SlugField(
        label="식별자",
        max_length=60,
        help_text=KEY_HELP,
        error_messages={
            "required": "적어야 합니다",
            "invalid": "영문·숫자·-·_만 쓸 수 있습니다",
            "max_length": "60자 이하여야 합니다",
        },
        widget=forms.TextInput(attrs={"class": "krds-input"}),
    )


def _reason() -> forms.CharField:
    return forms.CharField(
        label="변경 사유",
        max_length=500,
        help_text=REASON_HELP,
        error_messages={"required": "적어야 합니다", "max_length": "500자 이하여야 합니다"},
        widget=forms.Textarea(attrs={"rows": 2, "class": "krds-input"}),
    )


class PtzPresetForm(forms.Form):
    def __init__(self, *args: Any, adding: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        low, high = rules.PAN_TILT_RANGE
        fields: dict[str, forms.Field] = {}
        if adding:
            fields["key"] = _key()  # the identity across imports: given once
        fields["name"] = _text("프리셋 이름", 100, "예: 정문 방향")
        fields["pan"] = _number("팬", low, high, _PAN_TILT_HELP)
        fields["tilt"] = _number("틸트", low, high, _PAN_TILT_HELP)
        fields["zoom"] = _number("줌", *rules.ZOOM_RANGE, _ZOOM_HELP)
        fields["tolerance"] = _number(
            "허용 오차",
            0.0,
            0.5,
            "0~0.5 — 카메라가 읽어 준 화각이 이만큼 떨어져 있어도 이 프리셋으로 봅니다",
            initial=rules.DEFAULT_TOLERANCE,
        )
        fields["camera_preset"] = _text(
            "카메라 프리셋 번호",
            64,
            "카메라에 저장된 프리셋 번호(ONVIF) — 비우면 좌표로 움직입니다",
            required=False,
        )
        fields["reason"] = _reason()
        self.fields.update(fields)


class PrivacyZoneForm(forms.Form):
    def __init__(self, *args: Any, adding: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        low, high = rules.PAN_TILT_RANGE
        fields: dict[str, forms.Field] = {}
        if adding:
            fields["key"] = _key()
        fields["name"] = _text("구역 이름", 100, "예: 건너편 아파트 창문")
        # rules.ptz.PrivacyZone: a pan range whose start exceeds its end wraps round behind the camera
        # (0.9 → 1 = -1 → -0.9) — a real zone, so pan is not held to start < end; tilt is.
        fields["pan_min"] = _number(
            "팬 시작", low, high, f"{_PAN_TILT_HELP}; 시작이 끝보다 크면 카메라 뒤쪽(±1)을 지나는 범위"
        )
        fields["pan_max"] = _number("팬 끝", low, high, _PAN_TILT_HELP)
        fields["tilt_min"] = _number("틸트 시작", low, high, f"{_PAN_TILT_HELP}; 아래쪽 끝")
        fields["tilt_max"] = _number("틸트 끝", low, high, f"{_PAN_TILT_HELP}; 위쪽 끝")
        fields["zoom_min"] = _number(
            "이 줌부터", *rules.ZOOM_RANGE, f"{_ZOOM_HELP}; 0이면 모든 줌에서 비추지 않습니다", initial=0.0
        )
        fields["reason"] = _reason()
        self.fields.update(fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("tilt_min"), data.get("tilt_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "tilt_max", f"틸트 끝({high})은 틸트 시작({low}) 이상이어야 합니다 — 아래쪽 끝부터 적습니다"
            )
        return data


__all__ = ["PrivacyZoneForm", "PtzPresetForm"]
