"""Requests built directly for tests (the intake form lives on another branch): `make_request`."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from jikimi.disclosure.models import SubjectRequest
from jikimi.inventory.models import Institution, Location
from jikimi.lib.public_holidays import holidays_between
from jikimi.rules.request_deadlines import answer_due


def make_request(institution: Institution, **fields: Any) -> SubjectRequest:
    """An online 열람 request of 홍길동 received now, due by the 10-day rule; `fields` override.

    `locations` (a list of Location) are set after saving; the window defaults to yesterday 10:00–10:30
    UTC. The receipt number is the year and a serial unique in the institution.
    """
    locations: list[Location] = list(fields.pop("locations", []))
    now = timezone.now()
    received_at: datetime = fields.get("received_at", now)
    received_on = timezone.localtime(received_at).date()
    serial = SubjectRequest.objects.filter(institution=institution).count() + 1
    defaults: dict[str, Any] = {
        "receipt_number": f"{received_on.year}-{serial:05d}",
        "status_token_hash": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        "kind": SubjectRequest.Kind.VIEWING,
        "channel": SubjectRequest.Channel.ONLINE,
        "requester_name": "홍길동",
        "requester_phone": "010-1234-5678",
        "requester_email": "hong@example.org",
        "period_start": (now - timedelta(days=1)).replace(minute=0, second=0, microsecond=0),
        "purpose": "교통사고 당시 상황 확인",
        "received_at": received_at,
        "due_on": answer_due(received_on, holidays_between(received_on.year, received_on.year + 1)),
    }
    defaults["period_end"] = defaults["period_start"] + timedelta(minutes=30)
    defaults.update(fields)
    request = SubjectRequest.objects.create(institution=institution, **defaults)
    if locations:
        request.locations.set(locations)
    return request
