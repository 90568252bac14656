"""`make run` loads the demo through the same audited commands a deployment uses."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from jikimi.accounts.models import User
from jikimi.audit.models import AuditEntry
from jikimi.inventory.models import DeviceGroup, Institution
from jikimi.publishing.models import PolicyVersion

REGISTERS = Path(__file__).resolve().parents[4] / "registers"

pytestmark = pytest.mark.django_db


def load_demo(register: str = "incheon.yaml") -> str:
    out = StringIO()
    call_command("load_demo", str(REGISTERS / register), stdout=out)
    return out.getvalue()


def test_it_imports_publishes_and_prints_a_one_time_password_that_logs_in():
    output = load_demo()
    institution = Institution.objects.get(slug="incheon")
    assert DeviceGroup.objects.filter(institution=institution).count() == 7
    assert PolicyVersion.objects.filter(institution=institution).count() == 1

    password = re.search(r"일회용 비밀번호: (\S+)", output).group(1)
    admin = User.objects.get(username="admin")
    assert admin.must_change_password
    client = Client()
    response = client.post("/accounts/login/", {"username": "admin", "password": password})
    assert response.status_code == 302
    assert client.get("/register/").status_code == 302, "the one-time password must be changed first"

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"inventory.import_register", "publishing.publish_policy"} <= actions


def test_running_it_again_keeps_the_register_and_its_versions():
    load_demo()
    load_demo()
    assert Institution.objects.count() == 1
    assert PolicyVersion.objects.count() == 1


def test_a_missing_register_is_a_clear_error():
    with pytest.raises(CommandError, match="nowhere.yaml: 파일이 없습니다"):
        call_command("load_demo", str(REGISTERS / "nowhere.yaml"))


def test_it_adds_demo_cases_once_and_the_ledger_and_figures_show_them():
    from django.utils import timezone

    from jikimi.disclosure.figures import Reach, figures_for
    from jikimi.disclosure.models import LedgerEntry, ProvisionCase, SubjectRequest

    load_demo()
    load_demo()
    institution = Institution.objects.get(slug="incheon")
    assert SubjectRequest.objects.filter(institution=institution).count() == 7
    assert ProvisionCase.objects.filter(institution=institution).count() == 3
    kinds = set(LedgerEntry.objects.filter(institution=institution).values_list("kind", flat=True))
    assert kinds == {"viewing", "provision", "destruction"}
    assert LedgerEntry.objects.filter(kind="provision", approved_by__username="admin").count() == 2
    reach = Reach(Institution.objects.filter(pk=institution.pk), institution.device_groups.none())
    year = timezone.localdate().year
    figures = [figures_for(reach, y) for y in (year - 1, year)]
    assert sum(f.requests_by_kind.total for f in figures) == 7
    assert sum(f.provisions_by_body.total for f in figures) == 3
