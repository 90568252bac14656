"""An institution is its key (slug), never its name (issue 16, "Identity"): the slug is in its public
URLs. Today a file with another institution's name replaced that institution's register and changed
its slug. A file whose key or name clashes with another institution is refused, naming both."""

from __future__ import annotations

import pytest

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import RegisterFileError

from .conftest import small_text, table_counts

FILE = "registers/other.yaml"


def other_text(name: str = "다른군", slug: str = "dareun") -> str:
    return (
        small_text()
        .replace("  name: 시험시\n", f"  name: {name}\n")
        .replace("  slug: siheom\n", f"  slug: {slug}\n")
    )


@pytest.fixture
def two(institution):
    other = import_register(Actor.system("test"), other_text(), FILE).institution
    return institution, other, table_counts(), AuditEntry.objects.count()


def refused(text: str, before) -> str:
    with pytest.raises(RegisterFileError) as raised:
        import_register(Actor.system("test"), text, FILE)
    assert (table_counts(), AuditEntry.objects.count()) == before, "nothing may be imported"
    [problem] = raised.value.problems
    assert problem.path == ("institution", "name")
    return str(problem)


def test_a_new_key_with_another_institutions_name_is_refused_naming_both(two):
    siheom, other, *counts = two
    before = tuple(counts)
    message = refused(other_text(name="시험시", slug="siheom-new"), before)
    assert "'시험시'" in message and "'siheom'" in message and "'siheom-new'" in message
    assert models.Institution.objects.get(pk=siheom.pk).slug == "siheom", "its public URL stays"


def test_a_rename_to_another_institutions_name_is_refused_naming_both(two):
    siheom, other, *counts = two
    before = tuple(counts)
    message = refused(other_text(name="시험시", slug="dareun"), before)
    assert "'시험시'" in message and "'siheom'" in message and "'다른군'" in message and "'dareun'" in message
    assert models.Institution.objects.get(pk=other.pk).name == "다른군"


def test_the_key_decides_whose_register_it_is_and_a_free_name_is_a_rename(two):
    siheom, other, *_ = two
    result = import_register(Actor.system("test"), other_text(name="다른군청", slug="dareun"), FILE)
    assert result.replaced and result.institution.pk == other.pk
    other.refresh_from_db()
    assert (other.name, other.slug) == ("다른군청", "dareun")
    assert models.Institution.objects.get(pk=siheom.pk).name == "시험시"


def test_a_new_key_and_a_new_name_is_a_new_institution(two):
    result = import_register(Actor.system("test"), other_text(name="새군", slug="sae"), FILE)
    assert not result.replaced and models.Institution.objects.count() == 3
