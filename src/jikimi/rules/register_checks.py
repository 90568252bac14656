"""The checks the law makes on a register (설치·운영 현황), over plain dataclasses.

Each check returns `Problem`s naming the entry (by its path in the register file, e.g.
``("device_groups", 3)``) and the field, with a Korean message. Errors stop an import or an edit;
warnings are shown to the officer and in the register's detail pages.

- R1  법 제25조① / 제25조의2①: every group has a legal basis of its kind; 1호 needs the enabling law.
      A law the institution does not publish is a value (`enabling_law` None): a warning here
      (`laws_not_published`), and publishing the policy waits until the law relied on is recorded.
- R2  법 제25조②: no device looks into a bath, toilet, sweating room or changing room.
- R4  영 제25조①4호: the recording hours are stated (they go into the policy and on the sign); the
      published words are kept as written, and words with no machine meaning are listed
      (`phrases_without_meaning`) so the officer states one (`recording_schedule`).
- R6  시행령 제25조①2호: declared totals add up; a complete location list adds up to the count.
- R9  법 제25조④, 영 제26조②: a sign shows the 관리책임자's contact and, if outsourced, the
      contractor's name and contact (R34).
- R15 법 제25조①6호: the non-storing basis means nothing is kept.
- R16 영 제25조①4호: a retention period is stated; more than 30 days needs a recorded reason; a
      period with no machine meaning and no `retention_days` is kept 30 days (the law's fallback), flagged.
      A reason the institution does not publish is a value (`retention_reason` None): a warning here
      (`reasons_not_published`), and publishing the policy waits until the reason adopted is recorded.
- R33 영 제26조①: a contract contains the five items (warning: the seeds rarely say).
- R43 영 제3조②: a mobile group has its type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from jikimi.rules.purposes import FixedPurpose, MobilePurpose, MobileType, classification_error
from jikimi.rules.retention import (
    DEFAULT_MAXIMUM_WITHOUT_REASON_DAYS,
    LAW_FALLBACK_DAYS,
    Retention,
    RetentionError,
    RetentionKind,
    parse_retention,
)
from jikimi.rules.schedule import NO_MEANING_TEXT, ScheduleError, parse_schedule

Path = tuple[str | int, ...]

PRIVACY_SPACES: dict[str, str] = {
    # 법 제25조②: 불특정 다수가 이용하는 목욕실, 화장실, 발한실(發汗室), 탈의실 등
    "bathroom": "목욕실",
    "toilet": "화장실",
    "sweating_room": "발한실",
    "changing_room": "탈의실",
}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    rule: str  # "R1", "R16", …
    path: Path  # where in the register, e.g. ("device_groups", 3, "locations", 0)
    field: str  # the field the problem is about ("" for the entry as a whole)
    message: str
    severity: Severity = Severity.ERROR
    entry: str = ""  # a human name for the entry, e.g. "버스전용차로 단속 CCTV"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def location(self) -> str:
        """'device_groups[3].retention'"""
        return format_path((*self.path, self.field) if self.field else self.path)


def format_path(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class LocationFacts:
    name: str
    count: int | None = 1  # None: the published register does not give this location's count
    space_type: str = "general"
    retention: str = ""  # "" = the group's
    recording_hours: str = ""  # "" = the group's
    # The machine meaning the officer states where the published words have none (issue 16).
    recording_schedule: str = ""
    retention_days: int | None = None


@dataclass(frozen=True)
class OfficerFacts:
    key: str
    phone: str = ""
    department: str = ""


@dataclass(frozen=True)
class ContractorFacts:
    key: str
    company: str
    contact: str = ""
    clause_purpose_scope: bool = False
    clause_subcontract_limit: bool = False
    clause_access_safety: bool = False
    clause_inspection: bool = False
    clause_liability: bool = False

    @property
    def missing_clauses(self) -> list[str]:
        names = {
            "clause_purpose_scope": "위탁업무의 목적 및 범위",
            "clause_subcontract_limit": "재위탁 제한",
            "clause_access_safety": "접근 제한 등 안전성 확보조치",
            "clause_inspection": "관리현황 점검",
            "clause_liability": "손해배상 등 책임",
        }
        return [label for attr, label in names.items() if not getattr(self, attr)]


@dataclass(frozen=True)
class GroupFacts:
    key: str
    name: str
    department: str
    kind: str  # fixed | mobile
    legal_bases: tuple[str, ...]
    purpose: str
    count: int | None  # None: the published text does not give the group's count
    retention: str
    recording_hours: str
    mobile_type: str = ""
    status: str = "operating"
    # R1: the law a 1호 (law_permits) basis rests on. None: the published text cites 1호 but names no
    # law (광양시) — not published is a value (issue 16); "": none written (an error under 1호).
    enabling_law: str | None = ""
    classification_primary: str = ""
    classification_secondary: str = ""
    site: str = ""
    # R16: the reason for keeping footage beyond the maximum. None: the published text states such a
    # retention but no reason (issue 16: "not published" is a value, never a sentence of ours); "":
    # none written (an error where one is needed).
    retention_reason: str | None = ""
    notice_method: str = ""  # not published: no sign is assumed (issue 16, Fidelity)
    managers: tuple[str, ...] = ()  # officer keys
    contractors: tuple[str, ...] = ()  # contractor keys
    locations: tuple[LocationFacts, ...] = ()
    locations_complete: bool = False
    attachment: str = ""  # the 별첨 the policy refers to but does not publish
    # The machine meaning the officer states where the published words have none (issue 16).
    recording_schedule: str = ""
    retention_days: int | None = None
    basis_rule: str = ""  # an internal rule the institution names as the basis of its mobile devices


@dataclass(frozen=True)
class UnreadPhrase:
    """A published phrase (촬영시간 or 보관기간) with no machine meaning and none stated."""

    path: Path  # the group's or the location's
    field: str  # "recording_hours" | "retention"
    group: str  # the group's name
    location: str  # the location's name, "" for the group's own
    text: str  # the published words

    @property
    def what(self) -> str:
        return "촬영시간" if self.field == "recording_hours" else "보관기간"

    @property
    def machine(self) -> str:
        """What the machine does meanwhile."""
        if self.field == "recording_hours":
            return f"담당자가 여는 녹화 시간에만 녹화('{NO_MEANING_TEXT}'로 봄)"
        return f"법의 기준(표준지침, R16)인 {LAW_FALLBACK_DAYS}일이 지나면 파기"

    @property
    def stated_field(self) -> str:
        return "recording_schedule" if self.field == "recording_hours" else "retention_days"

    def message(self) -> str:
        where = f"'{self.group}'" + (f"의 위치 '{self.location}'" if self.location else "")
        return (
            f"{where}의 {self.what} '{self.text}'은(는) 공개된 문구 그대로 방침에 싣습니다. 기계가 읽을 수 있는 "
            f"뜻이 없어 그동안 {self.machine}합니다. {self.stated_field}에 뜻을 적으세요"
        )


def phrases_without_meaning(group: GroupFacts, path: Path = ()) -> list[UnreadPhrase]:
    """The group's and its locations' published 촬영시간/보관기간 that neither read nor carry a stated
    meaning. Empty texts are not phrases (the checks report them as missing)."""
    out: list[UnreadPhrase] = []
    entries: list[tuple[Path, str, str, str, str, int | None]] = [
        (path, "", group.recording_hours, group.recording_schedule, group.retention, group.retention_days)
    ]
    for index, location in enumerate(group.locations):
        entries.append(
            (
                (*path, "locations", index),
                location.name,
                location.recording_hours,
                location.recording_schedule,
                location.retention,
                location.retention_days,
            )
        )
    for at, location_name, hours, schedule, retention, days in entries:
        if hours.strip() and not schedule.strip() and not _reads(parse_schedule, hours):
            out.append(UnreadPhrase(at, "recording_hours", group.name or group.key, location_name, hours))
        if retention.strip() and days is None and not _reads(parse_retention, retention):
            out.append(UnreadPhrase(at, "retention", group.name or group.key, location_name, retention))
    return out


def _reads(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except (ScheduleError, RetentionError):
        return False
    return True


@dataclass(frozen=True)
class TotalFacts:
    label: str
    count: int
    kind: str = ""
    department: str = ""
    site: str = ""
    legal_basis: str = ""


@dataclass(frozen=True)
class RegisterFacts:
    groups: tuple[GroupFacts, ...]
    contractors: tuple[ContractorFacts, ...] = ()
    officers: tuple[OfficerFacts, ...] = ()
    totals: tuple[TotalFacts, ...] = ()
    maximum_without_reason_days: int = DEFAULT_MAXIMUM_WITHOUT_REASON_DAYS
    # Paths of the lists in the register file; the import uses them to name lines.
    groups_path: Path = ("device_groups",)
    contractors_path: Path = ("contractors",)
    totals_path: Path = ("declared_totals",)


def check_register(facts: RegisterFacts) -> list[Problem]:
    """All problems of a whole register, in file order."""
    contractors = {c.key: c for c in facts.contractors}
    officers = {o.key: o for o in facts.officers}
    problems: list[Problem] = []
    for index, group in enumerate(facts.groups):
        problems += check_group(
            group,
            (*facts.groups_path, index),
            contractors=contractors,
            officers=officers,
            maximum_without_reason_days=facts.maximum_without_reason_days,
        )
    for index, contractor in enumerate(facts.contractors):
        problems += check_contractor(contractor, (*facts.contractors_path, index))
    problems += check_totals(facts.groups, facts.totals, facts.totals_path)
    return problems


def check_group(
    group: GroupFacts,
    path: Path = (),
    *,
    contractors: dict[str, ContractorFacts] | None = None,
    officers: dict[str, OfficerFacts] | None = None,
    maximum_without_reason_days: int = DEFAULT_MAXIMUM_WITHOUT_REASON_DAYS,
) -> list[Problem]:
    """The problems of one device group (R1, R2, R6 for its locations, R9/R34, R15, R16, R43)."""
    problems: list[Problem] = []

    def add(
        rule: str, field_name: str, message: str, severity: Severity = Severity.ERROR, at: Path = path
    ) -> None:
        problems.append(Problem(rule, at, field_name, message, severity, entry=group.name or group.key))

    problems_r1(group, add)
    if law_missing := laws_not_published(group, path):
        # Issue 16: kept as the institution publishes it, and said — the policy waits for the law.
        add("R1", "enabling_law", law_missing.message(), Severity.WARNING)
    retention_kind = problems_r16(group, add, maximum_without_reason_days)
    if reason_missing := reasons_not_published(group, path, maximum_without_reason_days):
        # Issue 16: kept as the institution publishes it, and said — the policy waits for the reason.
        add("R16", "retention_reason", reason_missing.message(), Severity.WARNING)
    if tuple(group.legal_bases) == (FixedPurpose.NON_STORING.value,) and retention_kind not in (
        None,
        RetentionKind.NOT_STORED,
    ):
        # 법 제25조①6호 / 영 제22조①: the non-storing basis holds only when nothing is kept (R15). A group
        # listing other bases too may hold some storing devices (광양시 lists 1–6호 for 2,417 devices).
        add("R15", "retention", "'저장하지 않는 경우'(6호)를 근거로 하면 보관기간은 '미보유'여야 합니다")
    if not group.recording_hours.strip():
        # Some published documents leave it out (오산시 지침's form examples); the policy needs it.
        add(
            "R4",
            "recording_hours",
            "촬영시간이 없습니다: 방침과 안내판에 적어야 합니다 (영 제25조①4호)",
            Severity.WARNING,
        )
    if group.recording_schedule.strip():
        try:
            parse_schedule(group.recording_schedule)
        except ScheduleError as error:
            add("R4", "recording_schedule", str(error))
    for phrase in phrases_without_meaning(group, path):
        # Kept as published; what the machine does meanwhile is safe and said (issue 16).
        add(
            "R16" if phrase.field == "retention" else "R4",
            phrase.field,
            phrase.message(),
            Severity.WARNING,
            at=phrase.path,
        )

    # R2: 법 제25조② — a hard block.
    for index, location in enumerate(group.locations):
        at = (*path, "locations", index)
        if location.space_type in PRIVACY_SPACES:
            add(
                "R2",
                "space_type",
                f"'{location.name}'은(는) {PRIVACY_SPACES[location.space_type]}입니다: 목욕실·화장실·발한실·탈의실 "
                "내부를 볼 수 있는 영상정보처리기기는 설치할 수 없습니다 (법 제25조②)",
                at=at,
            )
        elif any(word in location.name for word in PRIVACY_SPACES.values()):
            add(
                "R2",
                "name",
                f"'{location.name}'에 사생활 공간(목욕실·화장실·발한실·탈의실)의 이름이 있습니다: 그 내부를 비추지 않는지 확인하세요",
                Severity.WARNING,
                at=at,
            )
        if location.retention_days is not None and location.retention_days <= 0:
            add("R16", "retention_days", f"보관 일수는 1 이상이어야 합니다: {location.retention_days}", at=at)
        elif location.retention:
            parsed = _stated_or_read(location.retention, location.retention_days)
            if (
                parsed is not None
                and parsed.needs_reason(maximum_without_reason_days)
                and group.retention_reason is not None  # not published: a warning, below
                and not group.retention_reason.strip()
            ):
                add(
                    "R16",
                    "retention",
                    f"보관기간 '{location.retention}'은(는) {maximum_without_reason_days}일을 넘으므로 묶음의 retention_reason에 사유를 적어야 합니다",
                    at=at,
                )
        if location.recording_schedule.strip():
            try:
                parse_schedule(location.recording_schedule)
            except ScheduleError as error:
                add("R4", "recording_schedule", str(error), at=at)

    # R6: the location list, when complete, accounts for every device.
    listed = sum(location.count or 0 for location in group.locations)
    unpublished = [location.name for location in group.locations if location.count is None]
    if group.count is None:
        if group.locations_complete:
            add(
                "R6",
                "locations_complete",
                "설치 대수가 공개되지 않아 위치 목록이 모든 기기를 밝힌다고 할 수 없습니다 ('위치 목록 완비'를 해제하세요)",
            )
    elif group.locations_complete and unpublished:
        add(
            "R6",
            "locations_complete",
            f"대수가 공개되지 않은 위치({', '.join(unpublished)})가 있어 위치 목록이 설치 대수 {group.count}대를 "
            "다 밝힌다고 할 수 없습니다 ('위치 목록 완비'를 해제하세요)",
        )
    elif group.locations_complete and listed != group.count:
        add(
            "R6",
            "count",
            f"설치 대수 {group.count}대와 위치 목록의 합 {listed}대가 다릅니다 ('위치 목록 완비'로 표시됨)",
        )
    elif listed > group.count:
        add("R6", "locations", f"위치 목록의 합 {listed}대가 설치 대수 {group.count}대보다 많습니다")

    # R9 / R34: what the sign must show.
    if group.notice_method and "안내판" in group.notice_method:
        for key in group.contractors:
            contractor = (contractors or {}).get(key)
            if contractor is None:
                continue  # an unknown key is a reference error, reported where references are checked
            if not contractor.company.strip():
                add(
                    "R34",
                    "contractors",
                    f"수탁자 '{key}'의 명칭이 없습니다: 안내판에 수탁자의 명칭과 연락처를 적어야 합니다 (영 제26조②)",
                )
            elif not contractor.contact.strip():
                add(
                    "R34",
                    "contractors",
                    f"수탁자 '{contractor.company}'의 연락처가 없습니다: 안내판에 수탁자의 명칭과 연락처를 적어야 합니다 (영 제26조②)",
                    Severity.WARNING,
                )
        if officers is not None:
            if not group.managers:
                add(
                    "R9",
                    "managers",
                    "관리책임자가 없습니다: 안내판에 관리책임자의 연락처를 적어야 합니다",
                    Severity.WARNING,
                )
            elif not any(officers.get(key) and officers[key].phone.strip() for key in group.managers):
                add(
                    "R9",
                    "managers",
                    "관리책임자의 연락처가 없습니다: 안내판에 적어야 합니다 (법 제25조④)",
                    Severity.WARNING,
                )
    return problems


def problems_r1(group: GroupFacts, add: Callable[..., None]) -> None:
    """R1 (법 제25조①, 제25조의2①) and R43 (영 제3조②)."""
    if group.kind not in ("fixed", "mobile"):
        add("R1", "kind", f"구분은 fixed(고정형) 또는 mobile(이동형)이어야 합니다: '{group.kind}'")
        return
    allowed = {p.value for p in (FixedPurpose if group.kind == "fixed" else MobilePurpose)}
    article = "법 제25조①" if group.kind == "fixed" else "법 제25조의2①"
    if not group.legal_bases:
        # An institution may rest its mobile devices on a rule of its own: the policy then states that
        # rule, and the officer is reminded which 호 of 법 제25조의2① it falls under.
        add(
            "R1",
            "legal_bases",
            f"설치 근거({article} 각 호)가 없습니다: 목적 '{group.purpose}'이(가) 어느 호에 해당하는지 적으세요"
            + (f" (기관이 밝힌 근거 규정: {group.basis_rule})" if group.basis_rule else ""),
            Severity.WARNING if group.kind == "mobile" and group.basis_rule else Severity.ERROR,
        )
    for basis in group.legal_bases:
        if basis not in allowed:
            add(
                "R1",
                "legal_bases",
                f"'{basis}'은(는) {article}의 근거가 아닙니다 (가능: {', '.join(sorted(allowed))})",
            )
    if (
        FixedPurpose.LAW_PERMITS.value in group.legal_bases
        and group.enabling_law is not None  # not published: laws_not_published
        and not group.enabling_law.strip()
    ):
        add(
            "R1",
            "enabling_law",
            "'법령에서 구체적으로 허용'(1호)을 근거로 하면 그 법령(enabling_law)을 적어야 합니다",
        )
    if not group.purpose.strip():
        add("R1", "purpose", "설치 목적이 없습니다")
    if group.kind == "mobile":
        if group.mobile_type not in {t.value for t in MobileType}:
            # When the published policy leaves the devices to an unpublished 별첨 (광양시 이동형 19대), the
            # type is unknown rather than wrong: a warning until someone fills it in.
            add(
                "R43",
                "mobile_type",
                "이동형은 유형(wearable 착용형, handheld 휴대형, mounted 부착·거치형)을 적어야 합니다 (영 제3조②)",
                Severity.WARNING if group.attachment.strip() else Severity.ERROR,
            )
    elif group.mobile_type:
        add("R43", "mobile_type", "고정형에는 이동형 유형을 적지 않습니다")
    if message := classification_error(group.classification_primary, group.classification_secondary):
        add(
            "R1",
            "classification_secondary" if group.classification_primary else "classification_primary",
            message,
        )


def problems_r16(
    group: GroupFacts, add: Callable[..., None], maximum_without_reason_days: int
) -> RetentionKind | None:
    """R16 (영 제25조①4호, 표준지침): a stated retention; over the maximum needs a reason."""
    if not group.retention.strip():
        add("R16", "retention", "보관기간이 없습니다: 모든 영상정보처리기기는 보관기간을 정해야 합니다")
        return None
    if group.retention_days is not None and group.retention_days <= 0:
        add("R16", "retention_days", f"보관 일수는 1 이상이어야 합니다: {group.retention_days}")
        return None
    retention = _stated_or_read(group.retention, group.retention_days)
    if retention is None:
        # No machine meaning: kept 30 days (the law's fallback), listed by phrases_without_meaning.
        return RetentionKind.DAYS
    if (
        retention.needs_reason(maximum_without_reason_days)
        and group.retention_reason is not None  # not published: reasons_not_published
        and not group.retention_reason.strip()
    ):
        add(
            "R16",
            "retention_reason",
            f"보관기간 '{group.retention}'은(는) {maximum_without_reason_days}일을 넘으므로 그 사유를 적어야 합니다",
        )
    return retention.kind


@dataclass(frozen=True)
class ReasonNotPublished:
    """R16: a group whose published retention (its own or a location's) exceeds the maximum without a
    reason, while the institution publishes no reason (`retention_reason` None)."""

    path: Path  # the group's
    group: str  # the group's name
    retentions: tuple[str, ...]  # each such retention as the policy prints it ("45일", "승강기: 60일")
    maximum_days: int

    def message(self) -> str:
        listed = ", ".join(f"'{text}'" for text in self.retentions)
        return (
            f"'{self.group}'의 보관기간 {listed}은(는) {self.maximum_days}일을 넘는데 공개 문서에 그 사유가 "
            "없습니다 (사유 미공개). 방침을 공개하기 전에 기관이 정한 사유를 retention_reason(보관 사유)에 "
            "적어야 합니다 (R16, 영 제25조①4호)"
        )


def reasons_not_published(
    group: GroupFacts, path: Path = (), maximum_without_reason_days: int = DEFAULT_MAXIMUM_WITHOUT_REASON_DAYS
) -> ReasonNotPublished | None:
    """The group's retentions that need a reason (R16) while its reason is not published; None when
    the reason is recorded, or when nothing needs one."""
    if group.retention_reason is not None:
        return None
    retentions: list[str] = []
    if group.retention.strip() and (group.retention_days is None or group.retention_days > 0):
        parsed = _stated_or_read(group.retention, group.retention_days)
        if parsed is not None and parsed.needs_reason(maximum_without_reason_days):
            retentions.append(group.retention)
    for location in group.locations:
        if not location.retention.strip() or (
            location.retention_days is not None and location.retention_days <= 0
        ):
            continue
        parsed = _stated_or_read(location.retention, location.retention_days)
        if parsed is not None and parsed.needs_reason(maximum_without_reason_days):
            retentions.append(f"{location.name}: {location.retention}")
    if not retentions:
        return None
    return ReasonNotPublished(path, group.name or group.key, tuple(retentions), maximum_without_reason_days)


@dataclass(frozen=True)
class LawNotPublished:
    """R1: a fixed group resting on 법 제25조①1호 (law_permits) while the institution publishes no
    enabling law (`enabling_law` None)."""

    path: Path  # the group's
    group: str  # the group's name

    def message(self) -> str:
        return (
            f"'{self.group}'은(는) '법령에서 구체적으로 허용'(1호)을 근거로 하는데 공개 문서에 그 법령이 "
            "없습니다 (근거 법령 미공개). 방침을 공개하기 전에 기관이 근거로 삼은 법령을 enabling_law(근거 "
            "법령)에 적어야 합니다 (R1, 법 제25조①1호)"
        )


def laws_not_published(group: GroupFacts, path: Path = ()) -> LawNotPublished | None:
    """The group, when it cites 1호 (R1) while its enabling law is not published; None when the law
    is recorded, or when the group does not rest on 1호."""
    if group.enabling_law is not None or FixedPurpose.LAW_PERMITS.value not in group.legal_bases:
        return None
    return LawNotPublished(path, group.name or group.key)


def _stated_or_read(published: str, stated_days: int | None) -> Retention | None:
    """The retention the checks judge: the stated days, else the published words (None: unread)."""
    if stated_days is not None:
        return Retention(RetentionKind.DAYS, stated_days)
    try:
        return parse_retention(published)
    except RetentionError:
        return None


def check_contractor(contractor: ContractorFacts, path: Path = ()) -> list[Problem]:
    """R33: the five items of 영 제26조①. A warning: the published policies rarely list them."""
    problems: list[Problem] = []
    if not contractor.company.strip():
        problems.append(Problem("R34", path, "company", "수탁자 명칭이 없습니다", entry=contractor.key))
    missing = contractor.missing_clauses
    if missing:
        problems.append(
            Problem(
                "R33",
                path,
                "",
                f"위탁계약서에 확인되지 않은 항목이 있습니다: {', '.join(missing)} (영 제26조①)",
                Severity.WARNING,
                entry=contractor.company or contractor.key,
            )
        )
    return problems


def total_covers(total: TotalFacts, group: GroupFacts) -> bool:
    """Whether a declared total counts this group (every filter it sets must match)."""
    if group.status == "retired":
        return False
    if total.kind and group.kind != total.kind:
        return False
    if total.department and group.department != total.department:
        return False
    if total.site and group.site != total.site:
        return False
    return not (total.legal_basis and total.legal_basis not in group.legal_bases)


def check_totals(
    groups: Sequence[GroupFacts], totals: Sequence[TotalFacts], path: Path = ("declared_totals",)
) -> list[Problem]:
    """R6: each stated total equals the sum of the groups it covers (per purpose, department, kind, site)."""
    problems: list[Problem] = []
    for index, total in enumerate(totals):
        covered = [g for g in groups if total_covers(total, g)]
        counted = sum(g.count or 0 for g in covered)
        unstated = [g.name for g in covered if g.count is None]
        if unstated and counted <= total.count:
            # The rows do not give every count (a county that states only its total): the total cannot
            # be checked, only that the stated rows do not exceed it. The officer is told (R6).
            problems.append(
                Problem(
                    "R6",
                    (*path, index),
                    "count",
                    f"공표 합계 '{total.label}' {total.count:,}대를 확인할 수 없습니다: 대수가 공개되지 않은 기기 묶음이 "
                    f"있습니다 ({', '.join(unstated[:8])}{' …' if len(unstated) > 8 else ''})",
                    Severity.WARNING,
                    entry=total.label,
                )
            )
        elif counted != total.count:
            detail = ", ".join(
                f"{g.name} {'미공개' if g.count is None else g.count}" for g in covered[:8]
            ) + (" …" if len(covered) > 8 else "")
            problems.append(
                Problem(
                    "R6",
                    (*path, index),
                    "count",
                    f"공표 합계 '{total.label}' {total.count}대와 해당 기기 묶음의 합 {counted}대가 다릅니다"
                    + (f" ({detail})" if detail else " (해당하는 기기 묶음이 없습니다)"),
                    entry=total.label,
                )
            )
    return problems
