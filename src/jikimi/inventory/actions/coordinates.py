"""Sites' coordinates filled from the institution's 공공데이터 "CCTV정보" file (issue 17: the map).

The matching is `jikimi.inventory.site_coordinates`: only rows that name one site exactly fill it, only
where the site holds no point yet. Everything else is reported, never applied; one audit entry says what
the file filled and what it left (R40), in the same transaction as the writes.
"""

from __future__ import annotations

import hashlib

from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory import models
from jikimi.inventory.site_coordinates import (
    MAX_LISTED,
    CoordinatesFileRefused,
    FillPlan,
    plan_fill,
    read_csv,
)


def fill_site_coordinates(
    actor: Actor,
    institution: models.Institution,
    data: bytes,
    file: str,
    reason: str,
    *,
    dry_run: bool = False,
) -> FillPlan:
    """Fill `institution`'s sites that have no coordinates from the CSV `data`; the plan says what it did.

    Raises CoordinatesFileRefused (nothing written) for a file that cannot be read or a missing reason."""
    if not reason.strip():
        raise CoordinatesFileRefused("사유를 적어야 합니다 (예: 2026년 공공데이터포털 CCTV정보 반영)")
    reading = read_csv(data, file)  # size, encoding, header and rows: checked before any work
    with transaction.atomic():
        # The sites are locked while matched, so that an edit in between cannot be overwritten.
        list(
            models.Location.objects.select_for_update()
            .filter(device_group__institution=institution)
            .values_list("pk", flat=True)
        )
        plan = plan_fill(institution, reading)
        if dry_run:
            return plan
        for filling in plan.fillings:
            filling.location.latitude = filling.latitude
            filling.location.longitude = filling.longitude
            filling.location.full_clean(validate_unique=False, validate_constraints=False)
            filling.location.save(update_fields=["latitude", "longitude"])
        record(
            actor,
            AuditEvent.INVENTORY_FILL_SITE_COORDINATES,
            institution,
            reason=reason,
            details={
                "file": file,
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": plan.row_count,
                "filled": [str(f) for f in plan.fillings[:MAX_LISTED]],
                "unchanged": len(plan.unchanged),
                "unmatched": len(plan.unmatched),
                "ambiguous": plan.ambiguous[:MAX_LISTED],
                "conflicts": plan.conflicts[:MAX_LISTED],
                "bad_lines": len(plan.bad_lines),
            },
        )
    return plan


__all__ = ["CoordinatesFileRefused", "fill_site_coordinates"]
