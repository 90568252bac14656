"""Where an audit entry belongs, and which entries a reader may see (안전성 확보조치 기준 제5조①, R36).

The log is scoped exactly as the footage and the register it describes: an entry about a viewing of a
교통행정과 camera is 교통행정과's, in its institution, and an auditor scoped to 총무과 does not read it.

Every entry carries its scope, fixed when it is written (`Scope`: institution, and where there is one,
department and device group; plain ids, because audit sits below the apps whose models they name).
`jikimi.audit.actions.record` takes it from an explicit `scope=`, else from the target, which
says where it belongs through a method `audit_scope()` (duck typing: audit imports none of the apps
above it), else from the acting user (reading the log is the reader's own department's entry), else
it has none: the system's own entries (a login with an unknown username, a job of the console).

Which entries a user may read is decided by jikimi.accounts, from the user's READ_AUDIT grants, and
handed to audit as a `ReadableScope` through the provider accounts registers when Django starts
(`jikimi.audit.access.provide_readable_scope`). No provider, no entries: the check fails closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    """Where an entry belongs. All None: the system itself (e.g. a login with an unknown username)."""

    institution_id: int | None = None
    department_id: int | None = None
    device_group_id: int | None = None

    @property
    def is_set(self) -> bool:
        return any(v is not None for v in (self.institution_id, self.department_id, self.device_group_id))


NO_SCOPE = Scope()


def scope_of(thing: Any) -> Scope | None:
    """The scope `thing` declares through `audit_scope()`, or None when it declares none."""
    method = getattr(thing, "audit_scope", None)
    if thing is None or not callable(method):
        return None
    found = method()
    if found is not None and not isinstance(found, Scope):
        raise TypeError(f"{type(thing).__name__}.audit_scope() must return jikimi.audit.scope.Scope")
    return found


@dataclass(frozen=True)
class ReadableScope:
    """The entries a reader may see.

    - `institutions`: the whole institution — every entry of it, those without a department included
      (an institution-wide READ_AUDIT grant);
    - `departments`: the entries of these departments (a department grant), device groups of theirs included;
    - `device_groups`: the entries of these device groups (a grant of a few groups);
    - `system`: entries that belong to no institution (a login with an unknown username, a verification
      run from the console). They are the whole system's, so an institution-wide auditor reads them.

    An entry written before entries carried a scope is read as the scope derived for it from its
    target when the scopes were introduced (jikimi.audit.models.LegacyScope, migration 0004).

    Entries of another institution, never.
    """

    institutions: frozenset[int] = frozenset()
    departments: frozenset[int] = frozenset()
    device_groups: frozenset[int] = frozenset()
    system: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.institutions or self.departments or self.device_groups or self.system)

    def _matches(self, prefix: str) -> Q:
        q = Q(pk__in=[])
        if self.institutions:
            q |= Q(**{f"{prefix}institution__in": sorted(self.institutions)})
        if self.departments:
            q |= Q(**{f"{prefix}department__in": sorted(self.departments)})
        if self.device_groups:
            q |= Q(**{f"{prefix}device_group__in": sorted(self.device_groups)})
        return q

    def as_q(self) -> Q:
        """A filter of AuditEntry rows: exactly the entries this scope may read.

        An entry written before entries carried a scope is read by the scope derived for it
        (AuditEntry.legacy_scope, migration 0004); one with neither is the system's.
        """
        unscoped = Q(
            scope_institution__isnull=True, scope_department__isnull=True, scope_device_group__isnull=True
        )
        q = self._matches("scope_") | (unscoped & self._matches("legacy_scope__"))
        if self.system:
            q |= unscoped & Q(legacy_scope__isnull=True)
        return q

    @property
    def key(self) -> str:
        """One text per scope (the same grants give the same key): what a monthly review covers."""

        def ids(values: frozenset[int]) -> str:
            return ",".join(str(v) for v in sorted(values))

        return (
            f"i:{ids(self.institutions)};d:{ids(self.departments)};g:{ids(self.device_groups)}"
            f";s:{int(self.system)}"
        )[:200]

    def describe(self) -> str:
        """The scope as the reviewer reads it."""
        if self.institutions:
            return "기관 전체" if len(self.institutions) == 1 else f"기관 {len(self.institutions)}곳 전체"
        parts = []
        if self.departments:
            parts.append(f"부서 {len(self.departments)}곳")
        if self.device_groups:
            parts.append(f"기기 묶음 {len(self.device_groups)}개")
        return ", ".join(parts) or "없음"

    def covers(self, scope: Scope) -> bool:
        """Whether an entry carrying `scope` is readable (the rule of `as_q`, for one entry)."""
        return (
            (scope.institution_id is None and self.system)
            or (scope.institution_id is not None and scope.institution_id in self.institutions)
            or (scope.department_id is not None and scope.department_id in self.departments)
            or (scope.device_group_id is not None and scope.device_group_id in self.device_groups)
        )


NOTHING = ReadableScope()
