"""The 청구서 as a form (오산시 지침 별지 제4호서식, 인천광역시 청구서; 시행령 제46조, R20, R21, R28).

The same form serves the public page and the counter (where the officer also says how the request
came: 방문·우편·팩스). Every bad field gets a Korean error that names it; the window is read in Seoul
time. The attachments are checked by content here (jikimi.disclosure.attachments) so that each error
names its field; they are stored only by the intake action, with the request.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from jikimi.disclosure.actions.intake import RequestDetails
from jikimi.disclosure.attachments import (
    ACCEPTED_TEXT,
    AttachmentRefused,
    CheckedFile,
    check_upload,
    max_count,
    size_text,
)
from jikimi.disclosure.attachments import max_bytes as attachment_max_bytes
from jikimi.disclosure.models import RequestAttachment, SubjectRequest
from jikimi.inventory.models import Institution, Location
from jikimi.lib.clock import SEOUL

SELF, OTHER = "self", "other"
_PHONE = re.compile(r"^[0-9+][0-9\- ]{6,18}[0-9]$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (사고 당시 사진)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _file_input() -> forms.ClearableFileInput:
    return forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})


def _moment_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "krds-input"}, format="%Y-%m-%dT%H:%M"
    )


def _text(
    label: str, max_length: int, *, required: bool = True, help_text: str = "", **attrs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "krds-input", **attrs}),
        error_messages={
            "required": f"{label}을(를) 입력하십시오",
            "max_length": f"{label}은(는) {max_length}자까지 쓸 수 있습니다",
        },
    )


def location_choices(institution: Institution) -> list[tuple[str, list[tuple[str, str]]]]:
    """The institution's sites grouped by device group, as <optgroup>s."""
    groups: dict[str, list[tuple[str, str]]] = {}
    locations = (
        Location.objects.filter(device_group__institution=institution)
        .select_related("device_group")
        .order_by("device_group__name", "position", "name", "pk")
    )
    for location in locations:
        groups.setdefault(location.device_group.name, []).append((str(location.pk), location.name))
    return list(groups.items())


class RequestForm(forms.Form):
    """The 청구서. `counter=True` adds the channel and makes the ID copy optional (checked in person)."""

    # 청구인
    requester_name = _text("청구인 성명", 60, autocomplete="name")
    requester_birth_date = forms.DateField(
        label="생년월일",
        widget=forms.DateInput(attrs={"type": "date", "class": "krds-input"}),
        error_messages={
            "required": "생년월일을 입력하십시오",
            "invalid": "생년월일: 날짜를 YYYY-MM-DD로 입력하십시오",
        },
    )
    requester_address = _text("주소", 200, required=False, autocomplete="street-address")
    requester_phone = _text(
        "전화번호", 20, help_text="예: 010-1234-5678", autocomplete="tel", inputmode="tel"
    )
    requester_email = forms.EmailField(
        label="전자우편",
        required=False,
        max_length=254,
        help_text="적으면 접수와 처리 단계마다 알려 드립니다",
        widget=forms.EmailInput(attrs={"class": "krds-input", "autocomplete": "email"}),
        error_messages={"invalid": "전자우편: 올바른 주소가 아닙니다 (예: hong@example.kr)"},
    )
    # 정보주체
    subject = forms.ChoiceField(
        label="정보주체",
        choices=[(SELF, "본인"), (OTHER, "다른 사람 (대리인 청구)")],
        initial=SELF,
        widget=forms.RadioSelect,
        error_messages={
            "required": "정보주체가 본인인지 고르십시오",
            "invalid_choice": "정보주체: 목록에서 고르십시오",
        },
    )
    subject_name = _text("정보주체 성명", 60, required=False, help_text="다른 사람을 대리할 때")
    relationship = _text("정보주체와의 관계", 60, required=False, help_text="예: 자녀, 배우자, 위임")
    # 청구 대상
    period_start = forms.DateTimeField(
        label="기록기간 시작",
        widget=_moment_input(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "기록기간 시작을 입력하십시오",
            "invalid": "기록기간 시작: 날짜와 시각을 입력하십시오",
        },
    )
    period_end = forms.DateTimeField(
        label="기록기간 끝",
        widget=_moment_input(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "기록기간 끝을 입력하십시오",
            "invalid": "기록기간 끝: 날짜와 시각을 입력하십시오",
        },
    )
    locations = forms.MultipleChoiceField(
        label="설치장소",
        required=False,
        help_text="이 기관의 설치장소 목록에서 고르십시오 (여러 곳: Ctrl 또는 길게 눌러 선택). 목록에 없으면 아래에 적으십시오",
        widget=forms.SelectMultiple(attrs={"class": "jk-locations", "size": 8}),
        error_messages={"invalid_choice": "설치장소: 선택한 장소가 이 기관의 설치장소 목록에 없습니다"},
    )
    place_text = _text("설치장소 (직접 입력)", 300, required=False, help_text="예: ○○초등학교 정문 앞 교차로")
    kind = forms.ChoiceField(
        label="청구 내용",
        # 법 제58조②: 처리정지 does not apply to footage of public places (R20): exactly these four.
        choices=SubjectRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "청구 내용을 고르십시오",
            "invalid_choice": "청구 내용: 목록에서 고르십시오",
        },
    )
    purpose = forms.CharField(
        label="청구 목적 및 사유",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "krds-input", "rows": 4}),
        error_messages={
            "required": "청구 목적 및 사유를 입력하십시오",
            "max_length": "청구 목적 및 사유는 2000자까지 쓸 수 있습니다",
        },
    )
    # 첨부서류 (군산시: 신분증, 위임장, 사고 현장 약도, 사고 당시 사진)
    id_card = forms.FileField(label="신분증 사본", required=False, widget=_file_input())
    proxy_letter = forms.FileField(
        label="위임장", required=False, widget=_file_input(), help_text="다른 사람을 대리할 때 반드시 첨부"
    )
    sketch = forms.FileField(label="사고 현장 약도", required=False, widget=_file_input())
    photos = MultipleFileField(label="사고 당시 사진", required=False, help_text="여러 장 고를 수 있습니다")

    FILE_FIELDS: tuple[tuple[str, str], ...] = (
        ("id_card", RequestAttachment.Kind.ID_CARD.value),
        ("proxy_letter", RequestAttachment.Kind.PROXY_LETTER.value),
        ("sketch", RequestAttachment.Kind.SKETCH.value),
        ("photos", RequestAttachment.Kind.PHOTO.value),
    )

    def __init__(self, institution: Institution, *args: Any, counter: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.counter = counter
        self.checked_files: list[CheckedFile] = []
        field = self.fields["locations"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = location_choices(institution)
        hint = f"{ACCEPTED_TEXT}, 한 파일 {size_text(attachment_max_bytes())}까지, 모두 {max_count()}개까지"
        for name, _kind in self.FILE_FIELDS:
            own = self.fields[name].help_text
            self.fields[name].help_text = f"{own} · {hint}" if own else hint
        if counter:
            self.fields["channel"] = forms.ChoiceField(
                label="접수 경로",
                choices=[
                    (c.value, c.label) for c in SubjectRequest.Channel if c != SubjectRequest.Channel.ONLINE
                ],
                initial=SubjectRequest.Channel.COUNTER,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "접수 경로를 고르십시오",
                    "invalid_choice": "접수 경로: 목록에서 고르십시오",
                },
            )
            self.fields["id_card"].help_text = (
                "방문 접수는 신분증을 대조하면 사본을 받지 않아도 됩니다 · " + hint
            )
        else:
            self.fields["id_card"].required = True
            self.fields["id_card"].error_messages["required"] = "신분증 사본을 첨부하십시오"

    # -- fields --

    def clean_requester_name(self) -> str:
        return str(self.cleaned_data["requester_name"]).strip()

    def clean_requester_phone(self) -> str:
        phone = str(self.cleaned_data["requester_phone"]).strip()
        if not _PHONE.match(phone) or not 9 <= sum(ch.isdigit() for ch in phone) <= 12:
            raise forms.ValidationError("전화번호: 숫자로 입력하십시오 (예: 010-1234-5678)")
        # Kept as digits only, so that the limit of open requests per contact sees one number one way.
        return "".join(ch for ch in phone if ch.isdigit() or ch == "+")

    def clean_requester_email(self) -> str:
        return str(self.cleaned_data["requester_email"]).strip().lower()

    def clean_requester_birth_date(self) -> Any:
        born = self.cleaned_data["requester_birth_date"]
        if born is not None and (born > timezone.now().astimezone(SEOUL).date() or born.year < 1900):
            raise forms.ValidationError("생년월일: 올바른 날짜가 아닙니다")
        return born

    def _seoul(self, name: str) -> datetime | None:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        assert isinstance(value, datetime)
        # The page asks in Seoul time; whatever zone Django attached, the wall clock read is Seoul's.
        return value.replace(tzinfo=None).replace(tzinfo=SEOUL)

    def clean_period_start(self) -> datetime | None:
        return self._seoul("period_start")

    def clean_period_end(self) -> datetime | None:
        return self._seoul("period_end")

    def _check_file(self, name: str, kind: str, upload: UploadedFile[Any]) -> None:
        try:
            self.checked_files.append(check_upload(name, str(self.fields[name].label), kind, upload))
        except AttachmentRefused as refused:
            self.add_error(name, str(refused))

    # -- the form --

    def full_clean(self) -> None:
        """Every field error names its field (Django's own messages do not)."""
        super().full_clean()
        for name, errors in list(self.errors.items()):
            if name not in self.fields:
                continue
            label = str(self.fields[name].label)
            texts = [str(e) for e in errors]
            named: list[str | Exception] = [
                t if t.startswith(label.split(" (")[0]) or ":" in t[:20] else f"{label}: {t}" for t in texts
            ]
            self.errors[name] = self.error_class(named, renderer=self.renderer)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_subject(data)
        self._clean_window(data)
        if (
            not data.get("locations")
            and not (data.get("place_text") or "").strip()
            and "locations" not in self.errors
        ):
            self.add_error("locations", "설치장소: 목록에서 고르거나 직접 입력하십시오")
        self._clean_files(data)
        return data

    def _clean_subject(self, data: dict[str, Any]) -> None:
        if data.get("subject") != OTHER:
            return
        if not (data.get("subject_name") or "").strip():
            self.add_error(
                "subject_name", "정보주체 성명: 다른 사람을 대리할 때는 정보주체의 성명을 입력하십시오"
            )
        if not (data.get("relationship") or "").strip():
            self.add_error("relationship", "정보주체와의 관계: 다른 사람을 대리할 때는 관계를 입력하십시오")
        if not self.files.get("proxy_letter"):
            # 시행령 제46조, 법 제38조① (R21): a proxy brings a 위임장.
            self.add_error("proxy_letter", "위임장: 다른 사람을 대리해 청구할 때는 위임장을 첨부하십시오")

    def _clean_window(self, data: dict[str, Any]) -> None:
        start, end = data.get("period_start"), data.get("period_end")
        if start is None or end is None:
            return
        moment = timezone.now()
        longest = timedelta(hours=int(settings.JIKIMI_REQUEST_MAX_WINDOW_HOURS))
        oldest = moment - timedelta(days=int(settings.JIKIMI_REQUEST_MAX_AGE_DAYS))
        if end <= start:
            self.add_error("period_end", "기록기간 끝: 시작보다 늦은 시각이어야 합니다")
        elif start > moment:
            self.add_error(
                "period_start",
                "기록기간 시작: 아직 오지 않은 시각입니다. 이미 촬영된 영상만 청구할 수 있습니다",
            )
        elif end > moment + timedelta(minutes=1):
            self.add_error(
                "period_end", "기록기간 끝: 아직 오지 않은 시각입니다. 이미 촬영된 영상만 청구할 수 있습니다"
            )
        elif end - start > longest:
            self.add_error(
                "period_end",
                f"기록기간: 한 번에 {int(settings.JIKIMI_REQUEST_MAX_WINDOW_HOURS)}시간까지 청구할 수 있습니다. "
                "기간을 좁히거나 나누어 청구하십시오",
            )
        elif start < oldest:
            self.add_error(
                "period_start",
                f"기록기간 시작: {int(settings.JIKIMI_REQUEST_MAX_AGE_DAYS)}일보다 오래된 영상은 보관되어 있지 않습니다",
            )

    def _clean_files(self, data: dict[str, Any]) -> None:
        uploads: list[tuple[str, str, UploadedFile[Any]]] = []
        for name, kind in self.FILE_FIELDS:
            value = data.get(name)
            for upload in value if isinstance(value, list) else [value] if value else []:
                uploads.append((name, kind, upload))
        if len(uploads) > max_count():
            self.add_error(
                "photos", f"첨부서류: 너무 많습니다 ({len(uploads)}개). 모두 {max_count()}개까지 받습니다"
            )
            return
        for name, kind, upload in uploads:
            self._check_file(name, kind, upload)

    def details(self) -> RequestDetails:
        data = self.cleaned_data
        wanted = {int(pk) for pk in data.get("locations") or []}
        locations = list(
            Location.objects.filter(pk__in=wanted, device_group__institution=self.institution).select_related(
                "device_group"
            )
        )
        other = data["subject"] == OTHER
        return RequestDetails(
            kind=data["kind"],
            requester_name=data["requester_name"],
            requester_birth_date=data["requester_birth_date"],
            requester_address=(data.get("requester_address") or "").strip(),
            requester_phone=data["requester_phone"],
            requester_email=data.get("requester_email") or "",
            subject_is_requester=not other,
            subject_name=(data.get("subject_name") or "").strip() if other else "",
            relationship=(data.get("relationship") or "").strip() if other else "",
            period_start=data["period_start"],
            period_end=data["period_end"],
            locations=locations,
            place_text=(data.get("place_text") or "").strip(),
            purpose=str(data["purpose"]).strip(),
            files=list(self.checked_files),
        )
