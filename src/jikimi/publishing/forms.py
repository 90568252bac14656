"""Forms of the staff pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from jikimi.lib.input_limits import check_day


def _in_range(value: date, label: str) -> date:
    """Inputs have limits: a policy version is announced and takes effect between 2000 and a year ahead."""
    try:
        return check_day(value, label)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error


class PublishForm(forms.Form):
    announced_on = forms.DateField(label="공고일", widget=forms.DateInput(attrs={"type": "date"}))
    effective_on = forms.DateField(label="시행일", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="변경 사유",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "변경 사유를 적어 주세요 (R7: 변경 사유와 내용을 공지)",
            "max_length": "변경 사유는 %(limit_value)d자 이내로 적어 주세요 (지금 %(show_value)d자)",
        },
    )

    def clean_announced_on(self) -> date:
        return _in_range(self.cleaned_data["announced_on"], "공고일")

    def clean_effective_on(self) -> date:
        return _in_range(self.cleaned_data["effective_on"], "시행일")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        announced, effective = cleaned.get("announced_on"), cleaned.get("effective_on")
        if announced and effective and effective < announced:
            self.add_error("effective_on", f"시행일({effective})이 공고일({announced})보다 앞설 수 없습니다")
        return cleaned


class WithdrawForm(forms.Form):
    """철회: a version announced but not in force, with the reason the public will read (R5, R7)."""

    reason = forms.CharField(
        label="철회 사유",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "철회 사유를 적어 주세요 (철회도 공개됩니다)",
            "max_length": "철회 사유는 %(limit_value)d자 이내로 적어 주세요 (지금 %(show_value)d자)",
        },
    )


class AdoptSectionForm(forms.Form):
    """The wording the officer adopts for an item of 시행령 제25조① the 방침 lacks (issue 16)."""

    title = forms.CharField(
        label="제목",
        max_length=200,
        error_messages={
            "required": "제목을 적어 주세요",
            "max_length": "제목은 %(limit_value)d자 이내로 적어 주세요 (지금 %(show_value)d자)",
        },
    )
    body = forms.CharField(
        label="본문",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": "본문을 적어 주세요: 빈 항목은 방침에 실을 수 없습니다 (R4)",
            "max_length": "본문은 %(limit_value)d자 이내로 적어 주세요 (지금 %(show_value)d자)",
        },
    )
