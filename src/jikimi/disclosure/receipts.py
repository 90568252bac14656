"""The 영상정보 인수증 (오산시 영상정보처리기기 설치 및 운영 지침 별지 제3호서식) of a provision: a PDF
from the institution's template, kept with the case (regenerated from it; its hash is in the audit
entry of the signature).

The template is `disclosure/receipts/<institution slug>/receipt.html` when the institution has one,
else `disclosure/receipts/receipt.html`. It carries the form's items — 1. 영상정보의 내용 (장비명, 설치장소,
파일 갯수 and period, 목적), 2. 수령일자, 3. 서약사항, 4. 영상정보의 처리 — the 인수자 and 인계자 with
소속·직급·성명·서명, and the limits asked of the recipient (R32: purpose, period, method, safety
measures; no re-use, no re-provision) and the destroy-by date. Before it is signed it is the form to
print and sign on paper; signed on screen, it embeds the drawn signature.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from jikimi.disclosure.models import ProvisionCase, ProvisionDelivery
from jikimi.lib.clock import SEOUL
from jikimi.lib.intervals import format_interval
from jikimi.lib.pdf import render_pdf

# 별지 제3호서식 3. and 4., as the form words them.
PLEDGE = (
    "본인은 상기 영상정보를 인수함에 있어 신청 목적 이외의 용도로 사용하지 않으며, 타인에게 양도 또는 "
    "제공하지 않고, 영상정보 관리 및 취급에 있어 개인정보 보호법 및 보안업무규정을 준수하며, 제반 사고에 "
    "대하여는 당 기관(본인)에서 책임질 것을 서약합니다."
)
DISPOSAL = "본 영상정보는 당초 요구한 목적을 달성시 본 자료는 파기하겠습니다."


def receipt_template(institution_slug: str) -> str:
    own = f"disclosure/receipts/{institution_slug}/receipt.html"
    try:
        get_template(own)
    except TemplateDoesNotExist:
        return "disclosure/receipts/receipt.html"
    return own


def _rows(case: ProvisionCase, delivery: ProvisionDelivery | None) -> list[dict[str, Any]]:
    """One row per file: what was handed over, else (before the handover) the footage of the case."""
    if delivery is not None and delivery.files:
        rows = []
        for item in delivery.files:
            start, end = datetime.fromisoformat(item["start"]), datetime.fromisoformat(item["end"])
            rows.append(
                {
                    "device": item["device_name"],
                    "location": item["location"],
                    "period": format_interval(start, end, seconds=False),
                }
            )
        return rows
    return [
        {
            "device": item.device.name,
            "location": item.device.location.name if item.device.location else "",
            "period": format_interval(item.start, item.end, seconds=False),
        }
        for item in case.footage.select_related("device__location").order_by("start", "pk")
    ]


def receipt_context(case: ProvisionCase) -> dict[str, Any]:
    delivery = case.deliveries.filter(handed_over_at__isnull=False).order_by("-handed_over_at", "-pk").first()
    signature = bytes(case.receiver_signature) if case.receiver_signature else b""
    provider = case.provided_by
    received_on = timezone.localtime(case.provided_at, SEOUL).date() if case.provided_at else None
    return {
        "case": case,
        "institution": case.institution,
        "body": case.body,
        "delivery": delivery,
        "rows": _rows(case, delivery),
        "received_on": received_on,
        "pledge": PLEDGE,
        "disposal": DISPOSAL,
        "signature_uri": f"data:image/png;base64,{base64.b64encode(signature).decode('ascii')}"
        if signature
        else "",
        "signed_at": timezone.localtime(case.receipt_signed_at, SEOUL) if case.receipt_signed_at else None,
        "provider_department": provider.department.name if provider and provider.department else "",
        "provider_position": provider.position if provider else "",
        "provider_name": provider.name if provider else "",
    }


def render_receipt(case: ProvisionCase) -> tuple[bytes, str, str]:
    """(PDF, its SHA-256, the template used)."""
    template = receipt_template(case.institution.slug)
    pdf = render_pdf(template, receipt_context(case))
    return pdf, hashlib.sha256(pdf).hexdigest(), template
