"""Forms of the provision pages: the paper letter typed in by an officer, the review, the decision, the
bodies list and the cases list's filter. They parse; the actions (disclosure.actions.provision_*) check
and refuse, naming the field, so that the portal's online form and these pages refuse alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms

from jikimi.accounts.permissions import Permission, device_groups_for
from jikimi.disclosure.actions.provision_intake import LONGEST_TEXT, FootageLine
from jikimi.disclosure.attachments import ACCEPTED_TEXT, size_text
from jikimi.disclosure.attachments import max_bytes as attachment_max_bytes
from jikimi.disclosure.models import ProvisionCase, RequestingBody
from jikimi.inventory.models import Institution, Location
from jikimi.rules.provision_grounds import GROUNDS

TEXT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}
# Lines of footage on the paper form: a letter asking for more is entered as two cases.
FOOTAGE_ROWS = 3
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

GROUND_CHOICES = [("", "(고르세요)"), *[(g.item, f"제{g.item}호 {g.label}") for g in GROUNDS]]
STATE_FILTERS = [("open", "진행 중 전체"), ("all", "전체"), *ProvisionCase.State.choices]


def _text(label: str, max_length: int, *, help_text: str = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={**TEXT, **attrs}),
        error_messages={"max_length": f"{label}은(는) {max_length}자까지 쓸 수 있습니다"},
    )


def _area(label: str, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=LONGEST_TEXT,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        error_messages={"max_length": f"{label}은(는) {LONGEST_TEXT}자까지 쓸 수 있습니다"},
    )


def _moment(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=MOMENT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", **TEXT}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": f"{label}: 날짜와 시각을 입력하십시오"},
    )


def site_choices(user: Any, institution: Institution) -> list[tuple[str, Any]]:
    """The institution's sites whose footage `user` handles, grouped by device group (<optgroup>)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    locations = (
        Location.objects.filter(
            device_group__institution=institution,
            device_group__in=device_groups_for(user, Permission.HANDLE_PROVISIONS),
        )
        .select_related("device_group")
        .order_by("device_group__name", "position", "name", "pk")
    )
    for location in locations:
        groups.setdefault(location.device_group.name, []).append((str(location.pk), location.name))
    return [("", "(설치장소를 고르세요)"), *groups.items()]


class PaperProvisionForm(forms.Form):
    """The 공문 as received on paper (or by fax): the body, its officer, the letter and the footage."""

    body = forms.ModelChoiceField(
        label="요청 기관",
        queryset=RequestingBody.objects.none(),
        required=False,
        empty_label="(고르세요)",
        widget=forms.Select(attrs=SELECT),
        help_text="목록에 없으면 아래에 새 기관을 적습니다",
        error_messages={"invalid_choice": "요청 기관: 목록에서 고르십시오"},
    )
    new_body_name = _text("새 요청 기관명", 100, help_text="목록에 없는 기관일 때만 (예: 인천지방검찰청)")
    new_body_kind = forms.ChoiceField(
        label="새 요청 기관 구분",
        choices=[("", "(고르세요)"), *RequestingBody.Kind.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text="민간(개인·법인)은 제18조제2항제5호~제10호를 근거로 할 수 없습니다",
        error_messages={"invalid_choice": "새 요청 기관 구분: 목록에서 고르십시오"},
    )
    requester_department = _text("요청자 소속", 100, help_text="예: 형사과 강력2팀")
    requester_position = _text("요청자 직급", 60, help_text="예: 경위")
    requester_name = _text("요청자 성명", 60)
    requester_phone = _text("요청자 연락처", 40, inputmode="tel")
    letter_number = _text("공문번호", 100, help_text="예: 남동경찰서 형사과-1234")
    letter_date = forms.DateField(
        label="공문 일자",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", **TEXT}),
        error_messages={"invalid": "공문 일자: 날짜를 YYYY-MM-DD로 입력하십시오"},
    )
    letter = forms.FileField(
        label="요청 공문 (스캔)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    legal_ground = forms.ChoiceField(
        label="제공 근거 (개인정보 보호법 제18조제2항)",
        choices=GROUND_CHOICES,
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text="제5호~제10호는 공공기관의 요청에만 쓸 수 있습니다",
        error_messages={"invalid_choice": "제공 근거: 목록에서 고르십시오"},
    )
    ground_detail = _text("근거 법령·조문", 200, help_text="예: 형사소송법 제199조②")
    purpose = _area("요청 목적")
    urgent = forms.BooleanField(label="긴급 (공익 목적 신속 제공 필요)", required=False)
    mask_third_parties = forms.BooleanField(label="제3자 마스킹 필요", required=False, initial=True)
    original_requested = forms.BooleanField(label="원본(마스킹 없는 영상) 요청", required=False)
    original_reason = _area("원본이 필요한 사유", help_text="원본을 요청할 때 반드시 적습니다")

    def __init__(self, user: Any, institution: Institution, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution = institution
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = RequestingBody.objects.filter(institution=institution, active=True).order_by("name")
        self.fields["letter"].help_text = f"{ACCEPTED_TEXT}, {size_text(attachment_max_bytes())}까지"
        choices = site_choices(user, institution)
        for row in range(1, FOOTAGE_ROWS + 1):
            self.fields[f"site_{row}"] = forms.ChoiceField(
                label=f"영상 {row}: 설치장소",
                choices=choices,
                required=False,
                widget=forms.Select(attrs=SELECT),
                error_messages={"invalid_choice": f"영상 {row}: 설치장소를 목록에서 고르십시오"},
            )
            self.fields[f"start_{row}"] = _moment(f"영상 {row}: 시작")
            self.fields[f"end_{row}"] = _moment(f"영상 {row}: 끝")

    def footage_rows(self) -> list[tuple[str, str, str]]:
        return [(f"site_{row}", f"start_{row}", f"end_{row}") for row in range(1, FOOTAGE_ROWS + 1)]

    def footage_fields(self) -> list[tuple[Any, Any, Any]]:
        """The bound fields of each footage line, for the template."""
        return [(self[site], self[start], self[end]) for site, start, end in self.footage_rows()]

    def footage(self) -> list[FootageLine]:
        """The lines with a site chosen; their windows as typed (Seoul), checked by the action."""
        lines: list[FootageLine] = []
        for site, start, end in self.footage_rows():
            chosen = self.cleaned_data.get(site)
            if not chosen:
                continue
            location = Location.objects.select_related("device_group").get(pk=int(chosen))
            begin: datetime | None = self.cleaned_data.get(start)
            finish: datetime | None = self.cleaned_data.get(end)
            lines.append((location, begin, finish))  # type: ignore[arg-type]
        return lines

    def fields_for_action(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "channel": ProvisionCase.Channel.PAPER,
            "requester_name": data["requester_name"],
            "requester_department": data["requester_department"],
            "requester_position": data["requester_position"],
            "requester_phone": data["requester_phone"],
            "letter_number": data["letter_number"],
            "letter_date": data["letter_date"],
            "legal_ground": data["legal_ground"],
            "ground_detail": data["ground_detail"],
            "purpose": data["purpose"],
            "urgent": data["urgent"],
            "mask_third_parties": data["mask_third_parties"],
            "original_requested": data["original_requested"],
            "original_reason": data["original_reason"],
            "footage": self.footage(),
            "letter": data["letter"],
        }


class ReviewForm(forms.Form):
    third_parties = _area("영상 속 제3자", help_text="예: 보행자 3명, 차량 번호판 2대")
    harm_assessment = _area(
        "정보주체·제3자 권익 침해 검토",
        help_text="제공하면 정보주체나 제3자의 이익을 부당하게 침해할 우려가 있는지 (개인정보 보호법 제18조②)",
    )
    mask_third_parties = forms.BooleanField(label="제3자를 마스킹하여 제공", required=False)


class DecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(
        label="결정",
        choices=[(APPROVE, "승인"), (REFUSE, "거부")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "결정(승인 또는 거부)을 고르십시오",
            "invalid_choice": "결정: 목록에서 고르십시오",
        },
    )
    reason = _area(
        "결정 사유", help_text="승인·거부 모두 사유를 적습니다. 거부하면 영상 보존 조치가 끝납니다"
    )
    original_approved = forms.BooleanField(
        label="원본(마스킹 없는 영상) 제공 승인",
        required=False,
        help_text="요청 기관이 사유를 들어 원본을 요청한 경우에만 (사유는 결정 사유에 적습니다)",
    )


class BodyForm(forms.Form):
    name = _text("기관명", 100, help_text="예: 인천남동경찰서")
    kind = forms.ChoiceField(
        label="기관 구분",
        choices=[("", "(고르세요)"), *RequestingBody.Kind.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text="민간(개인·법인)은 제18조제2항제5호~제10호를 근거로 할 수 없습니다",
        error_messages={"invalid_choice": "기관 구분: 목록에서 고르십시오"},
    )
    address = _text("주소", 200)
    phone = _text("대표 전화", 40, inputmode="tel")


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="진행 상태", choices=STATE_FILTERS, required=False, widget=forms.Select(attrs=SELECT)
    )

    def chosen(self) -> str:
        if not self.is_valid():
            return "open"
        return str(self.cleaned_data["state"] or "open")
