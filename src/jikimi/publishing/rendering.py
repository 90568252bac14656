"""From structured content to HTML and PDF: the live preview, a frozen version, the policy PDF."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from jikimi.inventory.models import Institution
from jikimi.lib.pdf import render_pdf
from jikimi.publishing.context import VersionInfo
from jikimi.publishing.generator import build_document
from jikimi.publishing.models import PolicyVersion
from jikimi.publishing.queries import load_policy_context


def document_html(content: dict[str, Any]) -> str:
    """The body of the policy (preamble and sections), as the page and the PDF show it."""
    return render_to_string("publishing/_document.html", {"doc": content})


def live_content(institution: Institution, pending: VersionInfo | None = None) -> dict[str, Any]:
    """The policy generated from the register as it is now (with `pending`: as it will be published)."""
    return build_document(load_policy_context(institution, pending=pending))


# A table wider than this is printed on landscape pages (군산시's 운영·관리 현황 has 12 columns).
WIDE_TABLE_COLUMNS = 8


def orientation_for(content: dict[str, Any]) -> str:
    for section in content.get("sections", []):
        for block in section.get("blocks", []):
            if block.get("type") == "table" and len(block.get("columns", [])) > WIDE_TABLE_COLUMNS:
                return "landscape"
    return "portrait"


def policy_pdf(institution: Institution, version: PolicyVersion | None = None) -> bytes:
    """A version's frozen HTML as PDF, or the live preview (marked as not published) when version is None."""
    if version is not None:
        content, body_html = version.content, version.html
    else:
        content = live_content(institution)
        body_html = document_html(content)
    return render_pdf(
        "publishing/print/policy.html",
        {
            "institution": institution,
            "version": version,
            "title": content.get("title", ""),
            "body_html": body_html,
            "orientation": orientation_for(content),
        },
    )


def policy_html_page(institution: Institution, version: PolicyVersion | None = None) -> str:
    """A standalone HTML file of the policy (render_policy --format html): the print layout, no fonts."""
    if version is not None:
        title, body_html = version.content.get("title", ""), version.html
    else:
        content = live_content(institution)
        title, body_html = content["title"], document_html(content)
    return render_to_string(
        "publishing/print/policy.html",
        {
            "institution": institution,
            "version": version,
            "title": title,
            "body_html": body_html,
            "font_face_css": "",
        },
    )
