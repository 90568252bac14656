"""Why a data subject's request may be refused or limited, and where the requester may appeal (R22, R23).

법 제35조④ lets the institution refuse or limit 열람 only on its listed grounds; the 표준 개인정보 보호지침
adds, for footage, serious harm to 수사·공소·재판 (public bodies), footage already destroyed after its
retention, and other just cause (R23). An institution's own rule may list more — the 오산시 지침 제33조③
items 1–4 — and is cited only in that institution's letters: a letter never names a rule its institution
did not adopt. 법 제35조③④ and 시행령 제42조② (R22): a refusal or limit is notified within 10 days with
its reasons and how to appeal; the appeal routes are below as data.

Pure: no Django, no I/O. The institution is named by its register slug.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LAW = "개인정보 보호법"
GUIDELINE = "「표준 개인정보 보호지침」"

# Request kinds, as jikimi.disclosure names them (SubjectRequest.Kind values).
EXISTENCE, VIEWING, COPY, DELETION = "existence", "viewing", "copy", "deletion"
ALL_KINDS = frozenset({EXISTENCE, VIEWING, COPY, DELETION})


@dataclass(frozen=True)
class RefusalGround:
    code: str
    label: str  # as the letter prints it
    citation: str  # the provision, as the letter prints it
    kinds: frozenset[str] = ALL_KINDS  # the request kinds it can answer
    institution: str = ""  # register slug of the one institution whose own rule it is; "" = everyone


# 법 제35조④ (열람의 제한·거절) — items and 3호's 가–마 as the law words them.
_PUBLIC_TASK = "공공기관이 다음 업무를 수행할 때 중대한 지장을 초래하는 경우: "
_LAW_GROUNDS = (
    RefusalGround("law_prohibits", "법률에 따라 열람이 금지되거나 제한되는 경우", f"{LAW} 제35조제4항제1호"),
    RefusalGround(
        "harm_to_others",
        "다른 사람의 생명·신체를 해할 우려가 있거나 다른 사람의 재산과 그 밖의 이익을 부당하게 침해할 우려가 있는 경우",
        f"{LAW} 제35조제4항제2호",
    ),
    RefusalGround(
        "public_task_tax",
        f"{_PUBLIC_TASK}조세의 부과·징수 또는 환급에 관한 업무",
        f"{LAW} 제35조제4항제3호가목",
    ),
    RefusalGround(
        "public_task_school",
        f"{_PUBLIC_TASK}각급 학교, 평생교육시설, 그 밖의 다른 법률에 따라 설치된 고등교육기관에서의 성적 평가 "
        "또는 입학자 선발에 관한 업무",
        f"{LAW} 제35조제4항제3호나목",
    ),
    RefusalGround(
        "public_task_exam",
        f"{_PUBLIC_TASK}학력·기능 및 채용에 관한 시험, 자격 심사에 관한 업무",
        f"{LAW} 제35조제4항제3호다목",
    ),
    RefusalGround(
        "public_task_compensation",
        f"{_PUBLIC_TASK}보상금·급부금 산정 등에 대하여 진행 중인 평가 또는 판단에 관한 업무",
        f"{LAW} 제35조제4항제3호라목",
    ),
    RefusalGround(
        "public_task_audit",
        f"{_PUBLIC_TASK}다른 법률에 따라 진행 중인 감사 및 조사에 관한 업무",
        f"{LAW} 제35조제4항제3호마목",
    ),
)

# 표준 개인정보 보호지침 (R23). Its article numbers are not pinned here (LEGAL.md: not re-read), so
# the letter cites the 지침 by name.
_GUIDELINE_GROUNDS = (
    RefusalGround(
        "investigation_trial",
        "범죄수사·공소유지·재판수행에 중대한 지장을 초래하는 경우 (공공기관)",
        GUIDELINE,
    ),
    RefusalGround(
        "already_destroyed",
        "개인영상정보의 보관기간이 경과하여 이미 파기한 경우",
        GUIDELINE,
    ),
    RefusalGround(
        "just_cause",
        "그 밖에 정보주체의 열람 등 요구를 거부할 만한 정당한 사유가 있는 경우",
        GUIDELINE,
    ),
)

# An institution's own rule, cited in its letters only.
OSAN_RULE = "오산시 영상정보처리기기 설치 및 운영 지침 제33조제3항"
_OSAN_GROUNDS = (
    RefusalGround(
        "osan_investigation_trial",
        "범죄수사·공소유지·재판수행에 중대한 지장을 초래하는 경우",
        f"{OSAN_RULE}제1호",
        institution="osan",
    ),
    RefusalGround(
        "osan_deletion_difficult",
        "특정 정보주체의 영상정보만을 삭제하는 것이 기술적으로 곤란한 경우",
        f"{OSAN_RULE}제2호",
        kinds=frozenset({DELETION}),
        institution="osan",
    ),
    RefusalGround(
        "osan_privacy_of_others",
        "요청에 필요한 조치를 취함으로써 타인의 사생활권이 침해될 우려가 큰 경우",
        f"{OSAN_RULE}제3호",
        institution="osan",
    ),
    RefusalGround(
        "osan_public_interest",
        "기타 열람 등의 요청을 거절할 만한 정당한 공익적 사유가 있는 경우",
        f"{OSAN_RULE}제4호",
        institution="osan",
    ),
)

GROUNDS: tuple[RefusalGround, ...] = _LAW_GROUNDS + _GUIDELINE_GROUNDS + _OSAN_GROUNDS
BY_CODE: dict[str, RefusalGround] = {g.code: g for g in GROUNDS}

# What jikimi's own checks point the officer to when a deletion cannot be carried out (R23, 법 제36조).
HELD_FOR_INVESTIGATION = "investigation_trial"  # a hold placed for an investigation or a court
NEEDED_BY_ANOTHER_REQUEST = "harm_to_others"  # another person's open request needs the footage


class UnknownGround(ValueError):
    """A ground that is not on the list, or not offered to this institution or request kind."""


def grounds_for(institution: str, kind: str | None = None) -> list[RefusalGround]:
    """The grounds an institution (register slug) may give, for a request `kind` if given."""
    return [g for g in GROUNDS if g.institution in ("", institution) and (kind is None or kind in g.kinds)]


def check_grounds(codes: Iterable[str], institution: str, kind: str) -> list[RefusalGround]:
    """The grounds named by `codes`, in the list's order; UnknownGround for one not offered here."""
    offered = {g.code: g for g in grounds_for(institution, kind)}
    wanted = list(dict.fromkeys(codes))
    for code in wanted:
        if code not in offered:
            if code in BY_CODE:
                raise UnknownGround(f"거부 사유 '{BY_CODE[code].label}'은(는) 이 청구에 쓸 수 없습니다")
            raise UnknownGround(f"목록에 없는 거부 사유입니다: {code}")
    return [g for g in GROUNDS if g.code in wanted]


@dataclass(frozen=True)
class AppealRoute:
    name: str
    how: str  # what the requester does, and within which time
    contact: str
    citation: str


# 법 제35조④ 후단, 시행령 제42조② (R22): the refusal or limit says how to appeal (불복 방법).
APPEAL_ROUTES: tuple[AppealRoute, ...] = (
    AppealRoute(
        "행정심판",
        "처분이 있음을 안 날부터 90일 이내, 처분이 있은 날부터 180일 이내에 청구할 수 있습니다.",
        "온라인행정심판 www.simpan.go.kr",
        "「행정심판법」 제27조",
    ),
    AppealRoute(
        "행정소송",
        "처분 등이 있음을 안 날부터 90일 이내, 처분 등이 있은 날부터 1년 이내에 제기할 수 있습니다.",
        "관할 행정법원",
        "「행정소송법」 제20조",
    ),
    AppealRoute(
        "개인정보침해 신고센터",
        "개인정보 처리로 권리 또는 이익을 침해받은 경우 신고할 수 있습니다.",
        "(국번없이) 118, privacy.kisa.or.kr",
        f"{LAW} 제62조",
    ),
    AppealRoute(
        "개인정보 분쟁조정위원회",
        "개인정보에 관한 분쟁의 조정을 신청할 수 있습니다.",
        "1833-6972, www.kopico.go.kr",
        f"{LAW} 제40조, 제43조",
    ),
)
