"""On which ground footage may go to somebody other than the data subject, who approves it, and
whether it must be published (법 제18조, R29, R31; 오산시 지침 제32조).

법 제18조②: personal information may be used for another purpose or provided to a third party only on
one of its items; items 5–10 only by a 공공기관 (R29). 법 제18조④: a public body publishes in the
gazette or on its website, within 30 days, what it used or provided on items 2–6 and 8–10 — not on
item 1 (the subject's own consent) nor item 7 (범죄의 수사와 공소) [R: LEGAL fact 6]. 오산시 지침 제32조②③:
the 총괄책임관 approves; for a 급박한 public-interest case the head of the control centre may approve
instead — here the items that are urgent by their wording (3: 급박한 생명·신체·재산, 10: 공공의 안전과
안녕을 위하여 긴급히).

Pure: no Django, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

LAW = "개인정보 보호법"


@dataclass(frozen=True)
class ProvisionGround:
    item: str  # "1".."10" (item 4 was deleted from the law on 2020-02-04)
    label: str
    public_bodies_only: bool  # 법 제18조② 단서: items 5–10
    published: bool  # 법 제18조④
    urgent: bool  # may be approved by the head of the control centre (오산시 지침 제32조③)

    @property
    def citation(self) -> str:
        return f"{LAW} 제18조제2항제{self.item}호"


GROUNDS: tuple[ProvisionGround, ...] = (
    ProvisionGround("1", "정보주체로부터 별도의 동의를 받은 경우", False, False, False),
    ProvisionGround("2", "다른 법률에 특별한 규정이 있는 경우", False, True, False),
    ProvisionGround(
        "3",
        "명백히 정보주체 또는 제3자의 급박한 생명, 신체, 재산의 이익을 위하여 필요하다고 인정되는 경우",
        False,
        True,
        True,
    ),
    ProvisionGround(
        "5",
        "목적 외로 이용하거나 제공하지 아니하면 다른 법률에서 정하는 소관 업무를 수행할 수 없는 경우로서 "
        "보호위원회의 심의·의결을 거친 경우",
        True,
        True,
        False,
    ),
    ProvisionGround(
        "6",
        "조약, 그 밖의 국제협정의 이행을 위하여 외국정부 또는 국제기구에 제공하기 위하여 필요한 경우",
        True,
        True,
        False,
    ),
    ProvisionGround("7", "범죄의 수사와 공소의 제기 및 유지를 위하여 필요한 경우", True, False, False),
    ProvisionGround("8", "법원의 재판업무 수행을 위하여 필요한 경우", True, True, False),
    ProvisionGround("9", "형(刑) 및 감호, 보호처분의 집행을 위하여 필요한 경우", True, True, False),
    ProvisionGround("10", "공중위생 등 공공의 안전과 안녕을 위하여 긴급히 필요한 경우", True, True, True),
)

GROUND_BY_ITEM: dict[str, ProvisionGround] = {ground.item: ground for ground in GROUNDS}

# 법 제18조④: within 30 days of the use or provision.
PUBLICATION_DAYS = 30


class GroundRefused(ValueError):
    """The ground cannot be used as asked; the message says why, in Korean."""


def ground(item: str) -> ProvisionGround:
    try:
        return GROUND_BY_ITEM[item]
    except KeyError:
        raise GroundRefused(f"제공 근거 '{item}'은(는) {LAW} 제18조제2항의 항목이 아닙니다.") from None


def check_ground(item: str, *, requester_is_public_body: bool) -> ProvisionGround:
    """R29: the ground exists, and items 5–10 are for public bodies only."""
    found = ground(item)
    if found.public_bodies_only and not requester_is_public_body:
        raise GroundRefused(
            f"{found.citation}은(는) 공공기관만 근거로 할 수 있습니다. 요청 기관이 공공기관이 아닙니다."
        )
    return found


def publication_due(item: str, provided_on: date) -> date | None:
    """법 제18조④: the last day to publish a provision on `item` made on `provided_on`; None if exempt."""
    if not ground(item).published:
        return None
    return provided_on + timedelta(days=PUBLICATION_DAYS)


def may_be_approved_urgently(item: str, *, urgent: bool) -> bool:
    """오산시 지침 제32조③: the control centre's head approves only an urgent case on an urgent ground."""
    return urgent and ground(item).urgent
