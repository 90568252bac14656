"""Forms of the staff pages."""

from __future__ import annotations

from typing import Any

from django import forms


class PublishForm(forms.Form):
    announced_on = forms.DateField(label="공고일", widget=forms.DateInput(attrs={"type": "date"}))
    effective_on = forms.DateField(label="시행일", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="변경 사유", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        announced, effective = cleaned.get("announced_on"), cleaned.get("effective_on")
        if announced and effective and effective < announced:
            self.add_error("effective_on", f"시행일({effective})이 공고일({announced})보다 앞설 수 없습니다")
        return cleaned
