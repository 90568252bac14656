"""R17: the grace between expiry and destruction is the institution's setting in the register file."""

from __future__ import annotations

import pytest

from jikimi.audit.context import Actor
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import RegisterFileError, export_register

from .conftest import small_text

WITH_THREE_DAYS = small_text().replace(
    "  head_title: 시험시장\n", "  head_title: 시험시장\n  destruction_grace_days: 3\n"
)


def test_R17_a_register_that_does_not_state_the_grace_gets_the_standard_five_days_and_exports_none(
    institution,
):
    assert institution.destruction_grace_days == 5
    assert "destruction_grace_days" not in export_register(institution)


def test_R17_a_register_states_its_own_grace_and_it_round_trips(db):
    institution = import_register(Actor.system("test"), WITH_THREE_DAYS, "small.yaml").institution
    assert institution.destruction_grace_days == 3
    exported = export_register(institution)
    assert "  destruction_grace_days: 3\n" in exported
    again = import_register(Actor.system("test"), exported, "exported.yaml").institution
    assert again.destruction_grace_days == 3 and export_register(again) == exported


@pytest.mark.parametrize("value", ["-1", "31", '"5"'])
def test_R17_a_grace_that_is_not_a_number_of_days_up_to_thirty_is_refused(db, value):
    text = WITH_THREE_DAYS.replace("destruction_grace_days: 3", f"destruction_grace_days: {value}")
    with pytest.raises(RegisterFileError) as raised:
        import_register(Actor.system("test"), text, "registers/bad.yaml")
    [message] = [str(p) for p in raised.value.problems]
    assert "institution.destruction_grace_days (파기 기한 (만료 후 일수))" in message
