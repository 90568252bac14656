"""Any text a person may type survives export → import → export (quoting, line breaks, look-alikes)."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jikimi.audit.context import Actor
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import export_register

# Text that YAML would read as something else unless quoted, and text people really write.
LOOK_ALIKES = [
    "yes",
    "no",
    "null",
    "~",
    "true",
    "1.0",
    "0x1F",
    "2024-01-01",
    "12:30",
    "- 항목",
    "# 주석",
    "a: b",
    " 앞 공백",
    "끝 공백 ",
    "'따옴표'",
    '"큰따옴표"',
    "여러\n줄",
    "줄\n\n빈 줄\n",
    "@시작",
    "%",
    "|",
    ">",
]
# Control characters other than line breaks and tabs are refused on import (see test_bad_register_input).
printable = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t")
texts = st.one_of(st.sampled_from(LOOK_ALIKES), st.text(printable, max_size=40))
# A one-line field (a Django CharField: 촬영 범위) refuses line breaks on import (test_register_one_line_fields).
one_line = st.one_of(
    st.sampled_from([t for t in LOOK_ALIKES if "\n" not in t]),
    st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")) | st.just("\t"), max_size=40),
)


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=False)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=texts, coverage=one_line)
def test_any_text_round_trips(institution, notes, coverage):
    group = institution.device_groups.get(key="bus-lane")
    try:
        with transaction.atomic():
            group.notes = notes
            group.coverage = coverage[:200]
            group.save()
            first = export_register(institution)
            import_register(Actor.system("test"), first, "exported.yaml")
            group.refresh_from_db()
            assert group.notes == notes
            assert export_register(institution) == first
            raise Rollback
    except Rollback:
        pass
