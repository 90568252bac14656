"""Reads of the audit log: the chain for verification, and filtered pages for the auditor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.apps import apps
from django.db.models import Count, Max, Q, QuerySet

from jikimi.audit import anchoring
from jikimi.audit.chain import GENESIS_HASH, ChainProblem, EntryData, verify_chain
from jikimi.audit.checkpoints import BadCheckpoint, Checkpoint, StoredLink, compare, verify_signature
from jikimi.audit.events import AuditEvent, label_of
from jikimi.audit.models import AuditEntry, ChainHead
from jikimi.lib.clock import start_of_day


@dataclass(frozen=True)
class Verification:
    count: int
    problem: ChainProblem | None
    last_checkpoint: Checkpoint | None = None  # the newest valid checkpoint read from the anchors
    archived_through: int = 0  # entries up to this sequence were archived under a signed checkpoint

    @property
    def ok(self) -> bool:
        return self.problem is None

    def anchor_text(self) -> str:
        if self.last_checkpoint is None:
            anchored = "외부 고정점 없음 (jikimi anchor_audit로 만드십시오)"
        else:
            anchored = f"마지막 외부 고정점 {self.last_checkpoint.describe()}"
        if self.archived_through:
            anchored += f", #{self.archived_through}까지는 보관 파일로 이전됨"
        return anchored

    def summary(self) -> str:
        if self.problem is None:
            return f"감사 기록 {self.count}건: 이상 없음 — {self.anchor_text()}"
        p = self.problem
        return (
            f"감사 기록 {self.count}건: 항목 #{p.sequence}에서 이상 발견 ({p.kind}) — {p.message}"
            f" [{self.anchor_text()}]"
        )


def _chain_entries(counter: list[int], after: int = 0) -> Iterator[EntryData]:
    # Entries up to `after` are in a signed archive file; any still stored (an archive whose delete
    # failed) are checked there, not here.
    rows = (
        AuditEntry.objects.filter(sequence__gt=after)
        .order_by("pk")
        .values_list(
            "sequence",
            "at",
            "actor_label",
            "actor_id",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "reason",
            "client_address",
            "details",
            "previous_hash",
            "entry_hash",
            "scope_institution",
            "scope_department",
            "scope_device_group",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        counter[0] += 1
        (
            sequence,
            at,
            actor,
            actor_id,
            action,
            target_type,
            target_id,
            target_label,
            reason,
            address,
            details,
            prev,
            hashed,
            scope_institution,
            scope_department,
            scope_device_group,
        ) = row
        yield EntryData(
            sequence=sequence,
            at=at,
            actor=actor,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_label=target_label,
            reason=reason,
            client_address=address,
            details=details,
            previous_hash=prev,
            entry_hash=hashed,
            scope_institution=scope_institution,
            scope_department=scope_department,
            scope_device_group=scope_device_group,
        )


def verify_log(
    *,
    public_key: Ed25519PublicKey | None = None,
    extra_checkpoints: list[Checkpoint] | None = None,
    since_last_checkpoint: bool = False,
) -> Verification:
    """Check the stored chain against its head and against every signed checkpoint outside the database.

    The pure checks are `chain.verify_chain` and `checkpoints.compare`. `public_key` is the auditors'
    copy (default: `anchoring.public_key()`); `extra_checkpoints` are ones the auditors kept
    themselves (e.g. from the mails they were sent).

    `since_last_checkpoint` (for signing the next checkpoint every hour without reading years of
    log): every checkpoint is still compared with the database, but the chain is walked only from
    the furthest one on; what lies before it was walked when that checkpoint was signed, and
    `jikimi verify_audit` walks it all.
    """
    read = anchoring.read_checkpoints()
    # A place that cannot be read leaves the verification incomplete: reported, after any real problem.
    unreadable = [ChainProblem(0, "unreadable", text) for text in read.problems]
    valid, problems = _signed([*read.checkpoints, *(extra_checkpoints or [])], public_key)
    # The most recently anchored; of equal times, the one written last.
    last = max(enumerate(valid), key=lambda pair: (pair[1].anchored_at, pair[0]), default=(0, None))[1]
    archive = max((c for c in valid if c.kind == "archive"), key=lambda c: c.sequence, default=None)
    start = (archive.sequence, archive.entry_hash) if archive is not None else (0, GENESIS_HASH)
    archived_through = start[0]
    furthest = max(valid, key=lambda c: c.sequence, default=None)
    if since_last_checkpoint and furthest is not None and furthest.sequence > start[0]:
        start = (furthest.sequence, furthest.entry_hash)

    head = ChainHead.objects.filter(id=1).first()
    counter = [0]
    # What contradicts a signed checkpoint is said first: it is the strongest finding, and a
    # rehashed chain holds by itself.
    problem = _contradicted_checkpoint(valid, archived_through) or verify_chain(
        _chain_entries(counter, start[0]),
        head.sequence if head else None,
        head.entry_hash if head else None,
        start=start,
    )
    if problem is None and problems:
        problem = problems[0]
    if problem is None and unreadable:
        problem = unreadable[0]
    if problem is None:
        # The whole log was read; otherwise count what is stored.
        walked_all = start[0] == archived_through
        count = counter[0] if walked_all else AuditEntry.objects.filter(sequence__gt=archived_through).count()
        return Verification(count, None, last, archived_through)
    return Verification(AuditEntry.objects.count(), problem, last, archived_through)


def _signed(
    candidates: list[Checkpoint], key: Ed25519PublicKey | None
) -> tuple[list[Checkpoint], list[ChainProblem]]:
    """The checkpoints whose signature holds, and a problem for each that does not."""
    if not candidates:
        return [], []  # a log never anchored needs no key
    key = key if key is not None else anchoring.public_key()
    valid: list[Checkpoint] = []
    problems: list[ChainProblem] = []
    for checkpoint in candidates:
        try:
            verify_signature(checkpoint, key)
        except BadCheckpoint as error:
            problems.append(ChainProblem(checkpoint.sequence, "checkpoint", str(error)))
            continue
        valid.append(checkpoint)
    return valid, problems


def _contradicted_checkpoint(valid: list[Checkpoint], archived_through: int) -> ChainProblem | None:
    """The first checkpoint (by sequence) the database contradicts: entries cut off, wiped or rewritten."""
    wanted = {c.sequence for c in valid if c.sequence > archived_through}
    stored = (
        dict(AuditEntry.objects.filter(sequence__in=wanted).values_list("sequence", "entry_hash"))
        if wanted
        else {}
    )
    for checkpoint in sorted(valid, key=lambda c: c.sequence):
        reason = compare(
            checkpoint, StoredLink(checkpoint.sequence, stored.get(checkpoint.sequence)), archived_through
        )
        if reason is not None:
            kind = "truncated" if stored.get(checkpoint.sequence) is None else "rewritten"
            return ChainProblem(checkpoint.sequence, kind, reason)
    return None


@dataclass(frozen=True)
class EntryFilter:
    """What the auditor asked for. Dates are calendar days in Asia/Seoul, both ends included.

    `actor` is a person's account number, or NO_ACCOUNT for the entries of nobody logged in (the
    system's jobs, a login with an unknown username). `target` is matched against the target's name
    and number. The log's own page views (감사 기록 열람) are left out unless `include_views` or the
    event asked for is that one: reading the log must not drown it (R40).
    """

    actor: str = ""
    action: str = ""
    target_type: str = ""
    target: str = ""
    date_from: date | None = None
    date_to: date | None = None
    include_views: bool = False

    @property
    def shows_views(self) -> bool:
        return self.include_views or self.action in ("audit", AuditEvent.AUDIT_VIEW_LOG.value)

    def described(self) -> dict[str, str]:
        """The filter as the log records it (the keys asked, their values as text)."""
        return {k: str(v) for k, v in vars(self).items() if v}


NO_ACCOUNT = "none"


def filtered_entries(wanted: EntryFilter, among: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """The entries of `among` (what the reader may see: jikimi.audit.access.readable_entries) that match, newest first."""
    entries = among.select_related("actor").order_by("-sequence")
    if wanted.actor == NO_ACCOUNT:
        entries = entries.filter(actor__isnull=True)
    elif wanted.actor:
        entries = entries.filter(actor_id=int(wanted.actor))
    if wanted.action:
        # 'accounts' matches every action of the app; 'accounts.login' matches that action.
        entries = entries.filter(
            Q(action=wanted.action) | Q(action__startswith=wanted.action.rstrip(".") + ".")
        )
    if not wanted.shows_views:
        entries = entries.exclude(action=AuditEvent.AUDIT_VIEW_LOG.value)
    if wanted.target_type:
        entries = entries.filter(target_type=wanted.target_type)
    if wanted.target:
        entries = entries.filter(Q(target_label__icontains=wanted.target) | Q(target_id=wanted.target))
    if wanted.date_from:
        entries = entries.filter(at__gte=start_of_day(wanted.date_from))
    if wanted.date_to:
        entries = entries.filter(at__lt=start_of_day(wanted.date_to + timedelta(days=1)))
    return entries


def people_in(among: QuerySet[AuditEntry]) -> list[tuple[int, str]]:
    """The people (account number, name as recorded) who acted in `among`, by name."""
    rows = (
        among.filter(actor__isnull=False)
        .order_by()
        .values_list("actor_id")
        .annotate(label=Max("actor_label"))
        .values_list("actor_id", "label")
    )
    return sorted(((int(pk), str(label)) for pk, label in rows), key=lambda pair: (pair[1], pair[0]))


def target_types_in(among: QuerySet[AuditEntry]) -> list[tuple[str, str]]:
    """The kinds of target in `among`: (stored type, its Korean name from the model, else as stored)."""
    types = among.exclude(target_type="").order_by().values_list("target_type", flat=True).distinct()
    return sorted(((kind, target_type_label(kind)) for kind in set(types)), key=lambda pair: pair[1])


def target_type_label(kind: str) -> str:
    """'inventory.DeviceGroup' → its verbose_name ('설치·운영 현황'), through Django's app registry."""
    try:
        return str(apps.get_model(kind)._meta.verbose_name)
    except (LookupError, ValueError):
        return kind


def entries_about(target_type: str, target_id: str) -> QuerySet[AuditEntry]:
    """Every entry about one object, oldest first (e.g. a user's grant history)."""
    return (
        AuditEntry.objects.filter(target_type=target_type, target_id=target_id)
        .select_related("actor")
        .order_by("sequence")
    )


@dataclass(frozen=True)
class EventCount:
    action: str  # as stored: a declared event, or a name no longer declared
    label: str
    count: int


def event_counts(first_day: date, last_day: date) -> list[EventCount]:
    """How many entries of each event were written from `first_day` to `last_day` (Asia/Seoul, both included).

    The monthly review of the log (안전성 확보조치 기준 제8조②, R40) reads this tally. Every declared
    event is listed in declaration order, with 0 when none happened (a review also notices what did
    not happen, e.g. no verification all month); names no longer declared follow, so nothing the log
    holds is left out.
    """
    found = dict(
        AuditEntry.objects.filter(
            at__gte=start_of_day(first_day), at__lt=start_of_day(last_day + timedelta(days=1))
        )
        .values("action")
        .annotate(n=Count("id"))
        .values_list("action", "n")
    )
    counts = [EventCount(event.value, str(event.label), found.pop(event.value, 0)) for event in AuditEvent]
    return counts + [EventCount(action, label_of(action), n) for action, n in sorted(found.items())]
