"""Sections whose text is set by the law and the seeds' common wording, filled in with the
institution's facts: labelling, processing records, provision, the 요청 및 제공절차 table, data-subject
rights, safety measures, signs, remedies, the change history and the request form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.urls import reverse

from jikimi.inventory.models import DeviceGroup
from jikimi.lib.korean import with_particle
from jikimi.publishing.content import (
    MISSING,
    Block,
    items,
    lead,
    link,
    named_title,
    note,
    paragraph,
    table,
    text_or_missing,
    topic,
)
from jikimi.publishing.context import PolicyContext
from jikimi.publishing.sections_register import kind_count_text
from jikimi.rules.policy_dates import format_dotted_date, format_korean_date

# 법 제18조② 각 호 as the 방침 of a public body lists them (군산시 제4조; 1호–3호, 5호–9호 ①–⑨).
PROVISION_GROUNDS = (
    "정보주체로부터 별도의 동의를 받은 경우",
    "다른 법률에 특별한 규정이 있는 경우",
    "정보주체 또는 그 법정대리인이 의사표시를 할 수 없는 상태에 있거나 주소불명 등으로 사전 동의를 받을 수 없는 경우로서 "
    "명백히 정보주체 또는 제3자의 급박한 생명, 신체, 재산의 이익을 위하여 필요하다고 인정되는 경우",
    "개인정보를 목적 외의 용도로 이용하거나 이를 제3자에게 제공하지 아니하면 다른 법률에서 정하는 소관 업무를 수행할 수 없는 "
    "경우로서 개인정보 보호위원회의 심의·의결을 거친 경우",
    "조약, 그 밖의 국제협정의 이행을 위하여 외국정부 또는 국제기구에 제공하기 위하여 필요한 경우",
    "범죄의 수사와 공소의 제기 및 유지를 위하여 필요한 경우",
    "법원의 재판업무 수행을 위하여 필요한 경우",
    "형(刑) 및 감호, 보호처분의 집행을 위하여 필요한 경우",
    "공중위생 등 공공의 안전과 안녕을 위하여 긴급히 필요한 경우",
)

# 법 제35조④ and the 표준지침 (R23): grounds on which a request may be refused.
REFUSAL_GROUNDS = (
    "법률에 따라 열람이 금지되거나 제한되는 경우",
    "다른 사람의 생명·신체를 해할 우려가 있거나 다른 사람의 재산과 그 밖의 이익을 부당하게 침해할 우려가 있는 경우",
    "범죄수사·공소유지·재판수행에 중대한 지장을 초래하는 경우",
    "보관기간이 지나 개인영상정보가 파기된 경우",
    "그 밖에 열람 등의 요구를 거부할 만한 정당한 사유가 있는 경우",
)


def build_labelling(ctx: PolicyContext) -> list[Block]:
    """군산시 [주요 개인정보 처리 표시(라벨링)]: the main facts at a glance."""
    groups = ctx.operating_groups()
    purposes = sorted({group.purpose for group in groups if group.purpose})
    # A location's own retention (금천구 승강기 14일) is one of the institution's retention periods too.
    retentions = sorted(
        {group.retention for group in groups if group.retention}
        | {loc.retention for group in groups for loc in group.locations.all() if loc.retention}
    )
    entries = [
        "처리 목적: " + (", ".join(purposes) or MISSING),
        "설치 대수: "
        + (
            ", ".join(
                # The institution's stated total per kind, never a sum of the rows (issue 16).
                f"{label} {kind_count_text(ctx, kind)}"
                for kind, label in DeviceGroup.Kind.choices
                if any(g.kind == kind for g in groups)
            )
            or MISSING
        ),
        "보관 기간: " + (", ".join(retentions) or MISSING),
        # A register without contractors has not said the institution outsources nothing (issue 16).
        "처리 위탁: " + (", ".join(sorted({c.company for c in ctx.contractors})) or MISSING),
        "제3자 제공: 법률에서 정하는 경우에 한함 (개인정보 보호법 제18조제2항)",
        "열람 등 청구: 개인영상정보 열람·존재확인 청구서 (10일 이내 처리)",
    ]
    return [
        items(entries),
        lead(note("※ 자세한 내용은 아래의 영상정보처리기기 운영·관리 방침을 확인하시기 바랍니다.")),
    ]


def build_processing_records(ctx: PolicyContext) -> list[Block]:
    """법 제21조, 표준지침 (R17, R18, R19)."""
    return [
        lead(paragraph(f"{topic(ctx.name)} 개인영상정보에 대해 다음과 같이 처리하고 있습니다.")),
        items(
            [
                "개인영상정보의 목적외 이용, 제3자 제공, 열람 등 요구, 파기에 관한 사항을 기록·관리합니다.",
                # R17: the institution's own grace (Institution.destruction_grace_days), which the
                # retention sweep's deadline counts too.
                f"보관기간 만료시 {ctx.institution.destruction_grace_days}일 이내 복원이 불가능한 방법으로 파기합니다.",
                "다른 법령에 따라 파기하지 아니하고 보존해야 하는 개인영상정보는 다른 개인영상정보와 분리하여 저장·관리합니다.",
            ],
            ordered=True,
        ),
    ]


def build_provision(ctx: PolicyContext) -> list[Block]:
    """법 제18조② (R29) and 제18조④ (R31): provision and its publication."""
    return [
        paragraph(
            f"{topic(ctx.name)} 법률에서 정하는 등 특별한 경우를 제외하고 개인영상정보를 수집 목적 이외로 이용하거나 "
            "제3자에게 제공하지 않습니다. 다만, 개인정보 보호법 제18조제2항에 해당하는 다음 각 호의 경우에는 정보주체 또는 "
            "제3자의 이익을 부당하게 침해할 우려가 있을 때를 제외하고는 제3자에게 제공할 수 있습니다."
        ),
        items(PROVISION_GROUNDS, ordered=True),
        paragraph(
            f"{topic(ctx.name)} 목적 외 이용·제3자 제공 사실을 이용·제공한 날부터 30일 이내에 관보 또는 홈페이지에 게재합니다 "
            "(범죄의 수사와 공소의 제기 및 유지를 위한 경우 제외)."
        ),
    ]


def build_provision_procedure(ctx: PolicyContext) -> list[Block]:
    """군산시 제4조③ 요청 및 제공절차; the same chain as R49."""
    name = ctx.name
    rows = [
        ["신청", "정보주체/수사관서", "신청서 또는 공문 등으로 요청"],
        ["접수·확인", name, "본인 여부, 신청서 내용 확인 및 해당 영상 유무 확인"],
        ["내용 검토", name, "제3자 영상 포함 및 타인의 사생활 침해 등 검토"],
        [
            "열람·제공",
            name,
            "영상화면의 현장 열람 또는 영상파일/출력물 등 제공, 필요 시 제3자의 영상 모자이크 또는 마스킹 처리후 제공",
        ],
        ["안전 관리", "정보주체/수사관서", "제공받은 자는 제공받은 목적 범위 내 이용 및 안전한 관리"],
        ["파기", "정보주체/수사관서", "제공받은자는 제공목적 달성한 후 즉시 파기 및 통보"],
    ]
    return [
        lead(paragraph("요청 및 제공 절차는 다음과 같습니다.")),
        table("요청 및 제공절차", ["단계", "행위주체", "절차"], rows),
    ]


def build_subject_rights(ctx: PolicyContext) -> list[Block]:
    """법 제35조, 제36조, 제58조② (R20, R22, R23, R25)."""
    return [
        paragraph(
            "귀하는 개인영상정보에 관하여 열람 또는 존재확인·삭제를 원하는 경우 언제든지 영상정보처리기기 관리책임자에게 "
            "요구하실 수 있습니다. 단, 귀하가 촬영된 개인영상정보 및 명백히 정보주체의 급박한 생명, 신체, 재산의 이익을 위하여 "
            "필요한 개인영상정보에 한정됩니다."
        ),
        paragraph(
            f"{topic(ctx.name)} 개인영상정보에 관하여 열람 또는 존재확인·삭제를 요구받은 경우 지체 없이(10일 이내) 필요한 조치를 "
            "하겠습니다. 다만, 다음의 경우에는 요구를 거부할 수 있으며, 이 경우 10일 이내에 서면 등으로 거부 사유 및 불복 방법을 "
            "정보주체에게 통지합니다."
        ),
        items(REFUSAL_GROUNDS, ordered=True),
        paragraph(
            "열람 등 조치를 취하는 경우 정보주체 이외의 자를 명백히 알아볼 수 있거나 정보주체 이외의 자의 사생활 침해 우려가 "
            "있는 경우에는 해당되는 정보주체 이외의 자의 개인영상정보를 알아볼 수 없도록 보호조치(모자이크·마스킹)를 취합니다."
        ),
    ]


def build_safety_measures(ctx: PolicyContext) -> list[Block]:
    """영25①7호 (R36–R42): the technical, managerial and physical measures."""
    return [
        paragraph(
            "본 기관에서 처리하는 영상정보는 다음과 같이 기술적·관리적 및 물리적 조치를 하고 있습니다."
        ),
        items(
            [
                "기술적 조치: 영상정보처리기기를 통해 수집된 영상정보를 암호화하여 저장·관리하고, 접속기록을 위·변조할 수 없도록 보관합니다.",
                "관리적 조치: 개인영상정보에 대한 접근 권한을 차등 부여하고 있으며, 개인영상정보의 위·변조 방지를 위해 영상정보의 "
                "생성 일시, 열람 시 열람 목적, 열람자, 열람 일시 등을 기록하여 관리하고 있습니다.",
                "물리적 조치: 개인영상정보의 안전한 물리적 보관을 위하여 보관장소에 잠금장치를 설치하고 출입을 통제하고 있습니다.",
            ],
            ordered=True,
        ),
    ]


def build_signage(ctx: PolicyContext) -> list[Block]:
    """법 제25조④, 시행령 제24조 (R9–R12). The policy says it installs signs only where the register
    states a sign as a group's notice method (issue 16: no method is assumed; an omitted one is not
    published and printed as such)."""
    groups = ctx.operating_groups()
    blocks: list[Block] = []
    if any("안내판" in g.notice_method for g in groups):
        blocks += [
            paragraph(
                f"{topic(ctx.name)} 영상정보처리기기 설치 시 정보주체가 쉽게 알아볼 수 있도록 설치한 장소마다 설치목적 및 장소, "
                "촬영범위 및 시간, 관리책임자 및 연락처(위탁하는 경우 수탁자의 명칭 및 연락처)를 명시한 안내판을 설치하고 있습니다. "
                "다만 다음과 같은 경우에는 예외적으로 처리하고 있습니다."
            ),
            items(
                [
                    "건물 안에 여러 개의 영상정보처리기기를 설치하는 경우: 출입구 등 잘 보이는 곳에 설치",
                    "안내판 설치로 인하여 보안취약점 노출이 우려되는 군사시설, 국가중요시설, 보안목표시설 등: 미설치",
                    "개인정보 침해 우려가 적은 경우 또는 안내판 설치가 어려운 경우: 인터넷 홈페이지에 관련사실 게재",
                ]
            ),
        ]
    unstated = [g.name for g in groups if not g.notice_method.strip()]
    if unstated:
        blocks.append(note(f"촬영 사실 고지 방법 — {', '.join(dict.fromkeys(unstated))}: {MISSING}"))
    other = [g for g in groups if g.notice_method and "안내판" not in g.notice_method]
    if other:
        blocks.append(
            table(
                "안내판 외의 방법으로 알리는 영상정보처리기기",
                ["영상정보처리기기", "고지 방법"],
                [[group.name, group.notice_method] for group in other],
            )
        )
    return blocks


def build_remedies(ctx: PolicyContext) -> list[Block]:
    return [
        paragraph(
            "정보주체는 개인영상정보 침해로 인한 구제를 받기 위하여 아래의 기관에 분쟁해결이나 상담 등을 신청할 수 있습니다."
        ),
        table(
            "권익침해 구제방법",
            ["기관", "소관업무", "연락처"],
            [
                [
                    "개인정보 침해신고센터 (한국인터넷진흥원 운영)",
                    "개인정보 침해사실 신고, 상담 신청",
                    "(국번없이) 118",
                ],
                ["개인정보 분쟁조정위원회", "개인정보 분쟁조정신청", "1833-6972"],
                ["대검찰청", "개인정보 침해 관련 형사사건 문의 및 신고", "(국번없이) 1301"],
                ["경찰청", "개인정보 침해 관련 형사사건 문의 및 신고", "(국번없이) 182"],
            ],
        ),
    ]


def build_change_history(ctx: PolicyContext) -> list[Block]:
    """R5, R7: announcement and effective dates, and the revisions with their 신구비교표.

    Every date here comes from the versions (the published ones and the one being published) or, before
    jikimi published any, from the register's PolicyDocument: never from the seed's fixed sentence
    ("…2014년 5월 29일에 개정되었으며"), which would be false in any later version.
    """
    document = ctx.document
    current = ctx.current
    announced = current.announced_on if current else document.announced_on
    effective = current.effective_on if current else document.effective_on
    notice_days = document.change_notice_days
    blocks: list[Block] = []
    if effective:
        enacted = (
            f"{format_korean_date(document.first_enacted_on)}에 제정되었으며, "
            if document.first_enacted_on and document.first_enacted_on < effective
            else ""
        )
        edition = f"(제{current.number}판) " if current else ""
        blocks.append(
            paragraph(
                f"이 영상정보처리기기 운영·관리방침{edition}은 {enacted}{format_korean_date(effective)}부터 시행됩니다. "
                "법령·정책 또는 보안기술의 변경에 따라 내용의 추가·삭제 및 수정이 있을 시에는 "
                f"최소 {notice_days}일 전에 본 기관 홈페이지를 통해 변경 사유 및 내용 등을 공지하도록 하겠습니다."
            )
        )
    else:
        blocks.append(note("아직 공개되지 않은 방침입니다 (공고일·시행일 미정)."))
    blocks.append(
        items(
            [
                f"공고일자: {format_korean_date(announced) or MISSING}",
                f"시행일자: {format_korean_date(effective) or MISSING}",
            ]
        )
    )
    versions = list(ctx.versions)
    if ctx.pending is not None:
        versions.append(ctx.pending)
    # The seed's revisions end where jikimi's first version begins: an open revision is not "현재"
    # once a version of jikimi is in the history.
    first_start = versions[0].effective_on if versions else None
    rows: list[list[str | dict[str, str]]] = []
    for revision in ctx.revisions:
        end = revision.valid_until
        if end is None and first_start is not None:
            end = first_start - timedelta(days=1)
        if first_start is not None and revision.valid_from >= first_start:
            continue
        period = f"{format_dotted_date(revision.valid_from)} ~ {format_dotted_date(end) or '현재'}"
        rows.append([revision.label, period, text_or_missing(revision.note, "-")])
    slug = ctx.institution.slug
    for index, version in enumerate(versions):
        following = versions[index + 1] if index + 1 < len(versions) else None
        until = format_dotted_date(following.effective_on - timedelta(days=1)) if following else "현재"
        view: list[dict[str, str]] = [
            link(f"제{version.number}판 보기", reverse("publishing:version", args=[slug, version.number]))
        ]
        if index > 0:
            # The previous version still standing (a withdrawn version is not in this list).
            view.append(
                link(
                    "신구비교표",
                    reverse("publishing:compare", args=[slug, versions[index - 1].number, version.number]),
                )
            )
        cell = (
            view[0]
            if len(view) == 1
            else {"text": " / ".join(v["text"] for v in view), "href": view[-1]["href"]}
        )
        rows.append(
            [
                f"제{version.number}판 (jikimi 공개)",
                f"{format_dotted_date(version.effective_on)} ~ {until}",
                cell,
            ]
        )
    if rows:
        blocks.append(
            table("영상정보처리기기 운영·관리방침 변경현황", ["제·개정 회차", "적용기간", "보기"], rows)
        )
    return blocks


# R20 (법 제58조②, 표준지침): what a data subject may ask for. The 오산시 지침 별지 제4호서식 also
# offers 이용 and 제공; a register may pick its seed's own boxes among these.
REQUEST_CHOICES = ("존재확인", "열람", "삭제", "이용", "제공")
DEFAULT_REQUEST_CHOICES = ("존재확인", "열람", "삭제")
DEFAULT_EXAMPLE_PERIOD = "0000.00.00 00:00 ~ 0000.00.00 00:00"
DEFAULT_EXAMPLE_PLACE = "00시 00구 00대로 0 인근 CCTV"


class BadRequestForm(ValueError):
    """The register's request_form section asks for a box the form cannot offer."""


@dataclass(frozen=True)
class RequestFormOptions:
    choices: tuple[str, ...]
    example_period: str
    example_place: str
    policy_name: str


def request_form_options(ctx: PolicyContext) -> RequestFormOptions:
    """The boxes and examples of the form, from the register's request_form section (its seed's form)."""
    section: dict[str, Any] = next(
        (s for s in ctx.document.sections or [] if s.get("generated") == "request_form"),
        {},
    )
    choices = tuple(section.get("choices") or DEFAULT_REQUEST_CHOICES)
    unknown = [choice for choice in choices if choice not in REQUEST_CHOICES]
    if unknown:
        raise BadRequestForm(
            f"{ctx.name} 방침 구성 '{section.get('title', '')}': choices의 '{', '.join(map(str, unknown))}'는 "
            f"청구서에 둘 수 없습니다 (가능: {', '.join(REQUEST_CHOICES)})"
        )
    return RequestFormOptions(
        choices=choices,
        example_period=str(section.get("example_period") or DEFAULT_EXAMPLE_PERIOD),
        example_place=str(section.get("example_place") or DEFAULT_EXAMPLE_PLACE),
        policy_name=str(section.get("policy_name") or named_title(ctx.name, ctx.document.title)),
    )


def build_request_form(ctx: PolicyContext) -> list[Block]:
    """[별지] 개인영상정보 청구서 (시행령 제46조, R20, R21): the seed's boxes and examples."""
    head = ctx.institution.head_title or f"{ctx.name}의 장"
    options = request_form_options(ctx)
    boxes = " ".join(f"□ {choice}" for choice in options.choices)
    rows = [
        ["청구인", "성명 / 전화번호 / 생년월일 / 정보주체와의 관계 / 주소", ""],
        ["정보주체의 인적사항", "성명 / 전화번호 / 생년월일 / 주소", ""],
        [
            "청구내용 (구체적으로 요청하지 않으면 처리가 곤란할 수 있음)",
            f"영상정보 기록기간 (예 : {options.example_period})",
            "",
        ],
        ["", f"영상정보처리기기 설치장소 (예 : {options.example_place})", ""],
        ["", "청구 목적 및 사유", ""],
    ]
    return [
        paragraph(f"개인영상정보({boxes}) 청구서 — 처리기한 10일 이내"),
        table("개인영상정보 청구서", ["구분", "항목", "기재란"], rows),
        paragraph(
            f"「{options.policy_name}」에 따라 위와 같이 개인영상정보의 {with_particle(', '.join(options.choices), '를')} 청구합니다.\n"
            "년     월     일\n청구인                (서명 또는 인)"
        ),
        paragraph(f"{head} 귀하"),
        table("", ["담당자의 청구인에 대한 확인 서명", ""], [["", ""]]),
    ]
