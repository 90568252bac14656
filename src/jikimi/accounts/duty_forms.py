"""Forms of the training and contract pages (오산시 지침 제25조, 제28조). They parse; the actions decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from jikimi.accounts import register
from jikimi.accounts.forms import KrdsForm
from jikimi.accounts.models import Contract, Course, Role, User
from jikimi.rules.people_duties import CONTRACT_CLAUSES


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def _institution_choices(form: forms.Form, institutions: QuerySet[Any]) -> None:
    field = _choices(form, "institution")
    field.queryset = institutions
    if institutions.count() == 1:  # the usual case: nothing to choose
        field.initial = institutions.get().pk


class CourseForm(KrdsForm):
    institution = forms.ModelChoiceField(label="기관", queryset=register.institutions().none())
    name = forms.CharField(label="과정 이름", max_length=100, help_text="예: 영상정보 보호 교육")
    roles = forms.MultipleChoiceField(
        label="이수 대상 역할", choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    validity_months = forms.IntegerField(label="유효기간(개월)", min_value=1, max_value=120, initial=12)

    def __init__(self, *args: Any, institutions: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _institution_choices(self, institutions)
        self.fields["roles"].widget.attrs["class"] = "jk-checks"


class CompletionForm(KrdsForm):
    user = forms.ModelChoiceField(label="이수자", queryset=User.objects.none())
    course = forms.ModelChoiceField(label="교육 과정", queryset=Course.objects.none())
    completed_on = forms.DateField(label="이수일", widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label="증빙", max_length=200, help_text="예: 수료증 제2026-12호, 출석부")

    def __init__(self, *args: Any, people: QuerySet[User], courses: QuerySet[Course], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "user").queryset = people
        _choices(self, "course").queryset = courses


def _clause_fields() -> dict[str, forms.CharField]:
    return {
        f"clause_{clause.key}": forms.CharField(
            label=f"{clause.label} — 계약서 위치",
            max_length=100,
            required=False,
            help_text="계약서에서 이 사항이 있는 곳(예: 제7조). 비워 두면 기록되지 않은 것으로 봅니다.",
        )
        for clause in CONTRACT_CLAUSES
    }


class ContractForm(KrdsForm):
    institution = forms.ModelChoiceField(label="기관", queryset=register.institutions().none())
    contractor_name = forms.CharField(label="수탁자", max_length=100)
    task = forms.CharField(label="위탁업무", max_length=200, help_text="예: 통합관제센터 관제(모니터링)")
    contact = forms.CharField(label="수탁자 연락처", max_length=60, required=False)
    period_start = forms.DateField(label="위탁기간 시작", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="위탁기간 끝", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, institutions: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if institutions is None:
            del self.fields["institution"]
        else:
            _institution_choices(self, institutions)
        self.fields.update(_clause_fields())
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "krds-input")

    def clauses(self) -> dict[str, str]:
        return {clause.key: self.cleaned_data.get(f"clause_{clause.key}", "") for clause in CONTRACT_CLAUSES}

    @staticmethod
    def initial_of(contract: Contract) -> dict[str, Any]:
        fields = ("contractor_name", "task", "contact", "period_start", "period_end")
        initial: dict[str, Any] = {name: getattr(contract, name) for name in fields}
        initial.update({f"clause_{key}": where for key, where in contract.clause_where().items()})
        return initial


class StaffForm(KrdsForm):
    user = forms.ModelChoiceField(
        label="수탁자 직원 계정",
        queryset=User.objects.none(),
        help_text="'수탁자' 역할을 가진 이 기관의 계정",
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "user").queryset = people


class InspectionForm(KrdsForm):
    inspected_on = forms.DateField(label="점검일", widget=forms.DateInput(attrs={"type": "date"}))
    inspected = forms.CharField(label="점검 내용", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(label="점검 결과", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(
        label="후속 조치", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
