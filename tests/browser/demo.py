"""Demo-like data for the look and screenshot tests: the real 인천광역시 register, its published
policy, the three demo cameras of `make run` and one person per persona (tests/browser/login.py logs
them in)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command

from jikimi.accounts.testing import make_user
from jikimi.inventory.models import DeviceGroup, Institution
from jikimi.inventory.testing import record_retention_reasons
from tests.browser.login import log_in

REGISTER = Path(__file__).resolve().parents[2] / "registers" / "incheon.yaml"

# username → (role, name): the personas of issue 12.
PERSONAS = {
    "admin": ("administrator", "관리자"),
    "chief": ("privacy_officer", "박총괄"),
    "auditor": ("auditor", "정감사"),
}


@dataclass(frozen=True)
class Demo:
    institution: Institution
    group: DeviceGroup


def build_demo() -> Demo:
    call_command("import_register", str(REGISTER))
    institution = Institution.objects.get(slug="incheon")
    record_retention_reasons(institution)  # R16: 인천 publishes none for 3개월 and 준영구
    call_command(
        "publish_policy", "incheon", announced="2026-11-01", effective="2026-11-10", reason="최초 공개"
    )
    call_command("add_demo_cameras", institution="incheon")
    for username, (role, name) in PERSONAS.items():
        make_user(username, role, institution=institution, name=name)
    group = DeviceGroup.objects.filter(institution=institution).order_by("pk").first()
    assert group is not None
    return Demo(institution=institution, group=group)


def visit_as_personas(page, live_server, pages: Iterable[tuple], on_page: Callable[[tuple], None]) -> None:
    """Open each (persona or None for a citizen, path, …) as that persona, logging in only when the
    persona changes, and hand the loaded page's row to `on_page`."""
    persona: str | None = "nobody yet"
    for row in pages:
        who, path = row[0], row[1]
        if who != persona:
            page.context.clear_cookies()
            if who is not None:
                log_in(page, live_server, who)
            persona = who
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        on_page(row)
