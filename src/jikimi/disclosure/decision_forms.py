"""The decision form and the fee form of a request (R22, R23, R27). Times are typed in Asia/Seoul."""

from __future__ import annotations

from typing import Any

from django import forms

from jikimi.disclosure.actions.decisions import MAX_LIMITED, MAX_PLACE, MAX_REASONS, outcomes_for
from jikimi.disclosure.actions.fees import MAX_FEE, FeeInput
from jikimi.disclosure.models import Decision, SubjectRequest
from jikimi.inventory.models import Institution
from jikimi.inventory.queries import fee_table
from jikimi.rules.refusal_grounds import grounds_for
from jikimi.rules.request_fees import FeeError, FeeRow, request_fee

TEXT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}
LOCAL_DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "krds-input"}, format="%Y-%m-%dT%H:%M"
)


def _fee_choice(row: FeeRow) -> str:
    amount = f"{row.amount:,}원" if row.amount is not None else "금액 미수록"
    per = f" / {row.unit}" if row.unit else ""
    basis = f" ({row.basis})" if row.basis else ""
    return f"{row.item} — {amount}{per}{basis}"


class FeeFields(forms.Form):
    """The fee of a decision: an item of the institution's table and a quantity (the amount is then
    computed by jikimi.rules.request_fees), or an amount typed; nothing when the cause lies with the
    institution (법 제38조③ 단서)."""

    fee_item = forms.ChoiceField(
        label="수수료 항목 (조례)",
        required=False,
        help_text="고르면 금액을 수수료 표대로 계산합니다",
        widget=forms.Select(attrs=SELECT),
    )
    fee_quantity = forms.IntegerField(
        label="수량",
        required=False,
        min_value=1,
        max_value=1000,
        initial=1,
        widget=forms.NumberInput(attrs=TEXT),
    )
    fee_amount = forms.IntegerField(
        label="수수료 (원)",
        required=False,
        min_value=0,
        max_value=MAX_FEE,
        help_text="조례가 정한 실비. 비우면 수수료 없음",
        widget=forms.NumberInput(attrs=TEXT),
    )
    fee_status = forms.ChoiceField(
        label="수수료 상태",
        choices=Decision.FeeStatus.choices,
        initial=Decision.FeeStatus.NONE,
        widget=forms.Select(attrs=SELECT),
    )
    fee_payment = forms.ChoiceField(
        label="납부 방법",
        choices=[("", "납부 전 또는 면제"), *Decision.Payment.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    fee_cause_institution = forms.BooleanField(
        label="청구 사유가 기관에 있음 (수수료 0원, 법 제38조③)", required=False
    )
    fee_note = forms.CharField(
        label="수수료 비고", max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fee_table = fee_table(institution)
        choices = [("", "수수료 표에서 고르지 않음" if self.fee_table else "기관의 수수료 표 없음")]
        self.fields["fee_item"].choices = choices + [(r.item, _fee_choice(r)) for r in self.fee_table]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        item = data.get("fee_item")
        if item and data.get("fee_amount") is None:
            try:
                data["fee_amount"] = request_fee(
                    self.fee_table,
                    item,
                    data.get("fee_quantity") or 1,
                    cause_institution=bool(data.get("fee_cause_institution")),
                )
            except FeeError as error:
                self.add_error("fee_item", f"{error} — 금액을 직접 입력하세요")
        if item and not data.get("fee_note"):
            data["fee_note"] = f"{item} × {data.get('fee_quantity') or 1}"
        return data

    def fee(self) -> FeeInput:
        data = self.cleaned_data
        return FeeInput(
            amount=data.get("fee_amount"),
            status=data.get("fee_status") or Decision.FeeStatus.NONE,
            payment=data.get("fee_payment") or "",
            cause_institution=bool(data.get("fee_cause_institution")),
            note=data.get("fee_note") or "",
        )

    def has_fee(self) -> bool:
        data = self.cleaned_data
        return (
            data.get("fee_amount") is not None
            or bool(data.get("fee_cause_institution"))
            or bool(data.get("fee_item"))
            or data.get("fee_status") not in (None, "", Decision.FeeStatus.NONE)
        )


class DecisionForm(FeeFields):
    outcome = forms.ChoiceField(label="결정 내용", widget=forms.Select(attrs=SELECT))
    grounds = forms.MultipleChoiceField(
        label="거부·제한 사유",
        required=False,
        help_text="거부나 일부 허용일 때 하나 이상 고릅니다 (법 제35조④ 등, R23)",
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = forms.CharField(
        label="사유",
        max_length=MAX_REASONS,
        required=False,
        help_text="통지서에 그대로 적힙니다. 거부·일부 허용에는 필수",
        widget=forms.Textarea(attrs={"class": "krds-input", "rows": 4}),
    )
    limited = forms.CharField(
        label="제한하는 내용",
        max_length=MAX_LIMITED,
        required=False,
        help_text="일부 허용일 때: 열람·교부하지 않는 부분",
        widget=forms.Textarea(attrs={"class": "krds-input", "rows": 2}),
    )
    viewing_at = forms.DateTimeField(
        label="열람 일시",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="방문 열람일 때",
        widget=LOCAL_DATETIME,
    )
    viewing_place = forms.CharField(
        label="열람 장소",
        max_length=MAX_PLACE,
        required=False,
        help_text="방문 열람일 때",
        widget=forms.TextInput(attrs=TEXT),
    )

    field_order = ["outcome", "grounds", "reasons", "limited", "viewing_at", "viewing_place"]

    def __init__(self, *args: Any, subject_request: SubjectRequest, **kwargs: Any) -> None:
        super().__init__(*args, institution=subject_request.institution, **kwargs)
        self.fields["outcome"].choices = [("", "고르세요"), *outcomes_for(subject_request.kind)]  # type: ignore[attr-defined]
        self.fields["grounds"].choices = [  # type: ignore[attr-defined]
            (g.code, f"{g.label} ({g.citation})")
            for g in grounds_for(subject_request.institution.slug, subject_request.kind)
        ]
        self.fields["outcome"].error_messages["invalid_choice"] = "이 청구에 대한 결정 가운데 고르세요"
        self.fields["grounds"].error_messages["invalid_choice"] = (
            "목록에 없거나 이 청구에 쓸 수 없는 사유입니다: %(value)s"
        )


class FeeForm(FeeFields):
    pass
