"""Forms of the register's entries in the browser (institution, departments, officers, contractors,
device groups, the privacy officer). They speak the register file's terms — departments by name,
officers and contractors by key — and check only shapes; every rule of the law runs in the action
(`jikimi.inventory.actions.entries`), exactly as for the file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models as django_models

from jikimi.inventory import models
from jikimi.inventory.queries import LEGAL_BASIS_LABELS
from jikimi.inventory.register_file.fields import (
    CONTRACTOR_FIELDS,
    FEE_FIELDS,
    GROUP_FIELDS,
    INSTITUTION_FIELDS,
    OFFICER_FIELDS,
    POLICY_FIELDS,
)
from jikimi.inventory.register_file.schema import MAX_ENTRIES, MAX_TEXT
from jikimi.inventory.section_options import REQUEST_FORM, REQUEST_FORM_FIELDS, section_options

REASON_HELP = "감사 기록에 남습니다 (예: 2026년 인사발령 반영)"
KEY_HELP = "영문·숫자·-·_ — 대장 파일과 기기·권한이 이 식별자로 가리키며, 만든 뒤에는 바꾸지 않습니다"

# The fields of each entry the browser edits, in the register file's order.
ENTRY_FIELDS: dict[str, tuple[str, ...]] = {
    "institution": tuple(n for n in INSTITUTION_FIELDS if n not in ("slug", "source")),
    "departments": ("key", "name", "parent", "phone", "operation", "operator"),
    "officers": ("key", "department", *OFFICER_FIELDS),
    "contractors": ("key", *CONTRACTOR_FIELDS[:5], "supervising_department", *CONTRACTOR_FIELDS[5:]),
    "device_groups": (
        "key",
        "department",
        *[n for n in GROUP_FIELDS if n not in ("locations_complete",)],
        "managers",
        "staff",
        "contractors",
    ),
    "privacy": ("privacy_officer", "privacy_department", "privacy_contact"),
    "policy": (*POLICY_FIELDS, "scope_department"),
    "policy_sections": ("title", "generated", "body", "covers", *REQUEST_FORM_FIELDS, "position"),
    "revisions": ("key", "label", "valid_from", "valid_until", "note"),
    "declared_totals": ("key", "label", "count", "kind", "department", "site", "legal_basis"),
    "request_fees": ("key", *FEE_FIELDS),
}
ENTRY_MODELS: dict[str, type[django_models.Model]] = {
    "institution": models.Institution,
    "departments": models.Department,
    "officers": models.Officer,
    "contractors": models.Contractor,
    "device_groups": models.DeviceGroup,
    "privacy": models.PolicyDocument,
    "policy": models.PolicyDocument,
    "policy_sections": models.PolicyDocument,
    "revisions": models.PolicyRevision,
    "declared_totals": models.DeclaredTotal,
    "request_fees": models.RequestFee,
}
# The policy's own text: the register states only what the institution states, so nothing is typed in
# for it — no default heading or sentence is put in a field (DESIGN.md).
_OWN_TEXT_SECTIONS = frozenset({"policy", "policy_sections", "revisions", "declared_totals", "request_fees"})
# The choice of no department for a device group: what it means for who sees its footage (R36).
GROUP_WITHOUT_DEPARTMENT = "(관리부서 미공개 — 기관 전체 권한으로만 봄)"
# A section's heading: far above the seeds' longest (about 40 characters), a line and not a page.
MAX_HEADING = 200


def _styled(field: forms.Field) -> forms.Field:
    widget = field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return field
    if isinstance(widget, forms.Select):
        widget.attrs.setdefault("class", "krds-form-select")
    else:
        widget.attrs.setdefault("class", "krds-input")
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = MAX_TEXT
        widget.attrs.setdefault("maxlength", str(MAX_TEXT))
    return field


class EntryForm(forms.Form):
    """One entry of `section`; `institution` gives the choices (its departments, officers, contractors)."""

    def __init__(
        self, *args: Any, section: str, institution: models.Institution, adding: bool, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.section = section
        model = ENTRY_MODELS[section]
        departments = [("", "(없음)")] + [
            (d.name, d.name) for d in institution.departments.order_by("position", "id")
        ]
        officers = [(o.key, f"{o} ({o.key})") for o in institution.officers.order_by("position_order", "id")]
        contractors = [(c.key, str(c)) for c in institution.contractors.order_by("position", "id")]
        self.omitted: set[str] = set()
        for name in ENTRY_FIELDS[section]:
            if name == "key" and not adding:
                continue  # the identity across imports never changes
            if section == "policy_sections" and not self._section_shows(name):
                self.omitted.add(name)
                continue
            field = self._field(model, name, departments, officers, contractors)
            self.fields[name] = _styled(field)
        self.fields["reason"] = forms.CharField(
            label="변경 사유",
            max_length=500,
            help_text=REASON_HELP,
            widget=forms.Textarea(attrs={"rows": 2, "class": "krds-input"}),
        )

    def _section_shows(self, name: str) -> bool:
        """Whether a section's form has `name`: the lists only once publishing told what they may hold;
        the 청구서's boxes and examples only on the 청구서's own section (as the page posts it, or as
        it is stored)."""
        options = section_options()
        if name == "covers":
            return bool(options.coverable)
        if name in REQUEST_FORM_FIELDS:
            generated = self.data.get("generated") if self.is_bound else self.initial.get("generated")
            return generated == REQUEST_FORM and (name != "choices" or bool(options.request_choices))
        return True

    def _field(
        self,
        model: type[django_models.Model],
        name: str,
        departments: list[tuple[str, str]],
        officers: list[tuple[str, str]],
        contractors: list[tuple[str, str]],
    ) -> forms.Field:
        if name == "key":
            return forms.SlugField(label="식별자", max_length=60, help_text=KEY_HELP)
        if self.section == "policy_sections":
            return _section_field(name)
        if self.section == "declared_totals" and name in ("kind", "legal_basis"):
            choices = (
                [("fixed", "고정형"), ("mobile", "이동형")]
                if name == "kind"
                else list(LEGAL_BASIS_LABELS.items())
            )
            label = "고정형/이동형" if name == "kind" else "설치 근거"
            return forms.ChoiceField(label=label, choices=[("", "(구분 없음)"), *choices], required=False)
        if self.section == "departments" and name == "operation":
            # As published (issue 16): 자체 or 위탁 only where the policy says so — never assumed.
            return forms.ChoiceField(
                label="운영 방식",
                choices=[("", "(방침에 없음)"), ("own", "자체"), ("outsourced", "위탁")],
                required=False,
                help_text="방침이 이 부서의 운영을 자체·위탁으로 밝힌 때만 고릅니다",
            )
        if self.section == "departments" and name == "operator":
            return forms.ChoiceField(
                label="운영 수탁자",
                choices=[("", "(없음)"), *contractors],
                required=False,
                help_text="위탁 운영이고 방침이 수탁자를 밝힌 때만 — 위탁 목록에서 고릅니다",
            )
        if name == "scope_department":
            # A policy of one department (issue 16): it then shows only that department's groups.
            return forms.ChoiceField(
                label="방침의 적용 부서",
                choices=[("", "(기관 전체)"), *departments[1:]],
                required=False,
                help_text="한 부서만의 방침일 때 그 부서 — 방침에는 그 부서의 기기·합계·책임자만 실립니다",
            )
        if name in ("parent", "department", "supervising_department", "privacy_department"):
            labels = {
                "parent": "상위 부서",
                "department": {"device_groups": "관리부서", "declared_totals": "부서"}.get(
                    self.section, "소속 부서"
                ),
                "supervising_department": "감독부서",
                "privacy_department": "개인정보보호 담당부서",
            }
            if self.section == "device_groups" and name == "department":
                # Not published (issue 16): the group is then scoped to the whole institution (R36).
                return forms.ChoiceField(
                    label=labels[name],
                    choices=[("", GROUP_WITHOUT_DEPARTMENT), *departments[1:]],
                    required=False,
                    help_text="공개 문서에 관리부서가 없으면 비워 둡니다 — 그 묶음은 기관 전체 권한으로만 봅니다 (R36)",
                )
            return forms.ChoiceField(label=labels[name], choices=departments, required=False)
        if name in ("privacy_officer", "privacy_contact"):
            label = "개인정보 보호책임자" if name == "privacy_officer" else "개인정보보호 담당자"
            return forms.ChoiceField(label=label, choices=[("", "(없음)"), *officers], required=False)
        if name in ("managers", "staff"):
            label = "관리책임자" if name == "managers" else "관리담당자·접근권한자"
            return forms.MultipleChoiceField(
                label=label, choices=officers, required=False, widget=forms.CheckboxSelectMultiple
            )
        if name == "contractors":
            return forms.MultipleChoiceField(
                label="수탁자", choices=contractors, required=False, widget=forms.CheckboxSelectMultiple
            )
        if name in ("legal_bases", "mobile_legal_bases"):
            # The institution's own (stated once for all its groups, issue 16) or a group's.
            choices = list(LEGAL_BASIS_LABELS.items())
            if self.section == "institution":
                article = "법 제25조의2①:" if name == "mobile_legal_bases" else "법 제25조① "
                choices = [(code, label) for code, label in choices if label.startswith(article)]
            return forms.MultipleChoiceField(
                label=str(getattr(model._meta.get_field(name), "verbose_name", name)),
                choices=choices,
                required=False,  # an empty list is the law's to refuse (R1), with its own message
                widget=forms.CheckboxSelectMultiple,
                help_text="방침이 기관 전체에 한 번 밝힌 근거 (근거를 적지 않은 기기 묶음이 따름)"
                if self.section == "institution"
                else "고정형은 법 제25조①, 이동형은 법 제25조의2① 가운데 해당하는 것 (비우면 기관 전체의 근거)",
            )
        model_field = model._meta.get_field(name)
        extra: dict[str, Any] = (
            {"assume_scheme": "https"} if isinstance(model_field, django_models.URLField) else {}
        )
        field = model_field.formfield(**extra)  # type: ignore[union-attr]
        assert field is not None
        if isinstance(model_field, django_models.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if isinstance(model_field, django_models.TextField):
            field.widget = forms.Textarea(attrs={"rows": 2})
        if isinstance(field, forms.CharField):
            field.required = False  # empty text is the file's "" — the action says where it is required
            field.empty_value = ""
            if self.section in _OWN_TEXT_SECTIONS:
                field.initial = None  # no model default ("영상정보처리기기 운영·관리방침") typed in for them
        if self.section == "policy" and name == "preamble":
            field.widget = forms.Textarea(attrs={"rows": 10, "class": "krds-input jk-text-body"})
        if self.section == "policy" and name == "title":
            field.required = True  # the published policy's title; the generator has no other
        return field

    def values(self) -> dict[str, Any]:
        """The entry's values in the register file's terms."""
        out: dict[str, Any] = {}
        for name in self.fields:
            if name == "reason":
                continue
            value = self.cleaned_data.get(name)
            if isinstance(self.fields[name], forms.MultipleChoiceField):
                value = list(value or [])
                stored = list(self.initial.get(name) or [])
                if sorted(value) == sorted(stored):
                    value = stored  # the same boxes ticked: the file's own order stays (no change to record)
            elif value is None and isinstance(self.fields[name], forms.CharField | forms.ChoiceField):
                value = ""
            if isinstance(value, str):
                # A browser sends a textarea's line breaks as CR LF; the register keeps LF (a CR is a
                # control character the file refuses).
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            out[name] = value
        if self.section == "device_groups" and out.get("department") == "":
            out["department"] = None  # not published: the file's null
        if self.section == "policy_sections" and out.get("generated") != REQUEST_FORM:
            # The 청구서's boxes and examples belong to its section only: another section keeps none.
            out.update({name: [] if name == "choices" else "" for name in REQUEST_FORM_FIELDS})
        return out


def _section_field(name: str) -> forms.Field:
    """A field of one section of the policy's own text (the file's policy.sections[])."""
    if name == "title":
        return forms.CharField(
            label="제목",
            max_length=MAX_HEADING,
            help_text="조 번호(제N조)는 붙이지 않습니다 — 방침의 조문 형식에 따라 붙습니다",
        )
    if name == "generated":
        return forms.ChoiceField(
            label="생성 항목",
            choices=[("", "(없음 — 기관이 쓴 본문만)"), *models.PolicyDocument.GENERATED_SECTIONS.items()],
            required=False,
            help_text="고르면 이 절에 대장에서 만든 내용이 들어갑니다. 본문을 쓰면 그 글이 앞에 옵니다.",
        )
    if name == "body":
        return forms.CharField(
            label="본문",
            max_length=MAX_TEXT,
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 16, "class": "krds-input jk-text-body"}),
            help_text="기관이 정한 글 그대로 적습니다. 빈 줄로 문단을 나눕니다.",
        )
    if name == "covers":
        return forms.MultipleChoiceField(
            label="다루는 방침 항목",
            choices=section_options().coverable_choices(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="시행령 제25조①의 항목을 이 절이 자기 제목으로 다룰 때 고릅니다 — 그 항목의 절을 따로 "
            "덧붙이지 않습니다 (예: 열람 등 요구의 절이 확인 방법 및 장소도 말할 때)",
        )
    if name == "choices":
        return forms.MultipleChoiceField(
            label="청구서 선택 항목",
            choices=[(c, c) for c in section_options().request_choices],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="청구서에 □로 둘 항목 — 고르지 않으면 존재확인·열람·삭제 (R20)",
        )
    if name in ("example_period", "example_place", "policy_name"):
        labels = {
            "example_period": (
                "기록기간 예시",
                "청구서의 '영상정보 기록기간 (예 : …)' — 비워 두면 0000.00.00 00:00 ~ …",
            ),
            "example_place": (
                "설치장소 예시",
                "청구서의 '설치장소 (예 : …)' — 비워 두면 00시 00구 00대로 0 인근 CCTV",
            ),
            "policy_name": (
                "청구서에 적힌 방침 이름",
                "「…」에 따라 청구합니다 — 비워 두면 기관 이름과 방침 제목",
            ),
        }
        label, help_text = labels[name]
        return forms.CharField(label=label, max_length=MAX_HEADING, required=False, help_text=help_text)
    return forms.IntegerField(
        label="순서",
        min_value=1,
        max_value=MAX_ENTRIES,
        required=False,
        help_text="몇 번째 절인지 — 비워 두면 새 절은 맨 끝에, 고치는 절은 제자리에 둡니다",
    )


def entry_initial(data: dict[str, Any], section: str, key: str) -> dict[str, Any]:
    """The stored entry (register_file.exporting.register_data) as the form's initial values."""
    if section == "institution":
        return dict(data["institution"])
    if section in ("privacy", "policy"):
        return dict(data.get("policy") or {})
    policy = data.get("policy") or {}
    if section == "policy_sections":
        sections = policy.get("sections") or []
        index = int(key) - 1 if key.isdigit() else -1
        return {**sections[index], "position": index + 1} if 0 <= index < len(sections) else {}
    for item in policy.get("revisions") or [] if section == "revisions" else data.get(section, []):
        if item["key"] == key:
            return dict(item)
    return {}
