"""The institution's fee table for requests (R27: 법 제38조③, 시행령 제47조) in the register: read from
the file and written back the same, never an amount the institution does not publish (금천구 says only
that its 조례 charges a 열람 fee), shown and edited on the register page with the file's checks and a
Korean audit entry, and handed to the pure rule as plain rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.context import Actor
from jikimi.audit.display import details_text
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import EntryRefused, RegisterEdit, edit_register, import_register
from jikimi.inventory.history import changes_of
from jikimi.inventory.queries import fee_table
from jikimi.inventory.register_file import RegisterFileError, export_register
from jikimi.inventory.tests.conftest import small_text, table_counts
from jikimi.rules.request_fees import FeeNotPublished, FeeRow, request_fee

ACTOR = Actor.system("test")
REGISTERS = Path(__file__).resolve().parents[4] / "registers"
# A test's table, not any institution's: jikimi sets only what a 조례 states.
FEES = """request_fees:
  - {key: yeollam, item: 열람, unit: 1건, amount: 1000, basis: 시험시 수수료 조례 제3조}
  - {key: sabon-pail, item: 사본(파일), unit: 1건, amount: 2000, basis: 시험시 수수료 조례 제3조}
  - {key: sabon-cd, item: 사본(CD), unit: 1매, amount: null, basis: 시험시 수수료 조례 제3조}
"""


def _with_fees(fees: str = FEES) -> models.Institution:
    return import_register(ACTOR, small_text() + fees, "small.yaml").institution


@pytest.fixture
def minsu(institution):
    return make_user("minsu", "privacy_officer", institution=institution, name="박민수")


@pytest.mark.django_db
def test_R27_the_fee_table_is_read_in_order_with_a_not_published_amount_as_null():
    institution = _with_fees()
    rows = [(f.key, f.item, f.unit, f.amount, f.basis) for f in institution.request_fees.all()]
    assert rows == [
        ("yeollam", "열람", "1건", 1000, "시험시 수수료 조례 제3조"),
        ("sabon-pail", "사본(파일)", "1건", 2000, "시험시 수수료 조례 제3조"),
        ("sabon-cd", "사본(CD)", "1매", None, "시험시 수수료 조례 제3조"),
    ]
    assert [f.amount_label for f in institution.request_fees.all()] == [
        "1,000원",
        "2,000원",
        "공개 문서에 미수록",
    ]


@pytest.mark.django_db
def test_R27_the_fee_table_round_trips_through_export_and_import():
    institution = _with_fees()
    # With the imported file kept, the export is that file (its own one-line rows) …
    assert export_register(institution) == small_text() + FEES
    # … and without it, the documented layout.
    models.RegisterSource.objects.filter(institution=institution).delete()
    first = export_register(institution)
    assert "request_fees:\n  - key: yeollam\n    item: 열람\n    unit: 1건\n    amount: 1000\n" in first
    assert "    amount: null\n" in first
    import_register(ACTOR, first, "exported.yaml")
    assert export_register(institution) == first
    # Removed from the file, gone from the register (nothing points at a fee row).
    import_register(ACTOR, small_text(), "small.yaml")
    assert not institution.request_fees.exists()
    assert "request_fees" not in export_register(institution)


@pytest.mark.django_db
def test_R27_geumcheon_states_a_viewing_fee_by_its_ordinance_and_no_amount():
    # Seed 004 제14조①: "(조례에 따라 열람수수료가 부과됩니다.)" — no amount, unit or article is published.
    text = (REGISTERS / "geumcheon.yaml").read_text(encoding="utf-8")
    institution = import_register(ACTOR, text, "geumcheon.yaml").institution
    (fee,) = institution.request_fees.all()
    assert (fee.item, fee.unit, fee.amount) == ("열람", "", None)
    assert "조례에 따라 열람수수료가 부과됩니다" in fee.basis
    with pytest.raises(FeeNotPublished, match="공개 문서에 미수록"):
        request_fee(fee_table(institution), "열람", 1, cause_institution=False)
    assert request_fee(fee_table(institution), "열람", 1, cause_institution=True) == 0


@pytest.mark.parametrize("name", ["gunsan", "gwangyang", "incheon", "osan"])
def test_R27_no_other_seed_register_has_a_fee_table_since_no_other_seed_states_one(name):
    assert "request_fees" not in (REGISTERS / f"{name}.yaml").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_R27_the_rule_gets_the_table_as_plain_rows():
    institution = _with_fees()
    rows = fee_table(institution)
    assert rows[0] == FeeRow("열람", "1건", 1000, "시험시 수수료 조례 제3조")
    assert request_fee(rows, "사본(파일)", 2, cause_institution=False) == 4000


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ("{key: a, item: 열람, unit: 1건, basis: 조례}", "request_fees[0].amount (금액(원))"),
        ("{key: a, item: 열람, amount: -1, basis: 조례}", "request_fees[0].amount (금액(원))"),
        ('{key: a, item: 열람, amount: "1000", basis: 조례}', "request_fees[0].amount (금액(원))"),
        ("{key: a, item: 열람, amount: 1000}", "request_fees[0].basis (근거)"),
        ("{key: a, item: '', amount: 1000, basis: 조례}", "request_fees[0].item (수수료 항목)"),
        ("{key: a, item: 열람, amount: 1, basis: 조례, won: 1}", "request_fees[0].won"),
    ],
)
@pytest.mark.django_db
def test_R27_a_bad_fee_row_is_refused_naming_its_field_with_nothing_written(row, said):
    counts = table_counts()
    with pytest.raises(RegisterFileError) as refused:
        _with_fees(f"request_fees:\n  - {row}\n")
    assert said in str(refused.value)
    assert table_counts() == counts


@pytest.mark.django_db
def test_R27_an_item_twice_is_refused_the_rule_could_not_tell_which_amount():
    fees = FEES + "  - {key: yeollam-2, item: 열람, unit: 1건, amount: 500, basis: 조례}\n"
    with pytest.raises(RegisterFileError) as refused:
        _with_fees(fees)
    assert "request_fees[3].item (수수료 항목): 수수료 항목 '열람'이(가) 이미 앞에 있습니다" in str(
        refused.value
    )


@pytest.mark.django_db
def test_R27_the_register_page_shows_the_table_and_says_what_is_not_published(client, minsu):
    institution = models.Institution.objects.get(slug="siheom")
    import_register(ACTOR, small_text() + FEES, "small.yaml")
    log_in(client, minsu)
    page = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    assert "열람 등 수수료 (조례)" in page and "수수료 추가" in page
    assert "1,000원" in page and "공개 문서에 미수록" in page and "시험시 수수료 조례 제3조" in page
    assert reverse("inventory:entry_edit", args=[institution.pk, "request_fees", "sabon-cd"]) in page


@pytest.mark.django_db
def test_R27_without_a_table_the_page_says_so(client, minsu, institution):
    log_in(client, minsu)
    page = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    assert "대장에 수수료 표가 없습니다" in page


@pytest.mark.django_db
def test_R27_a_fee_is_added_in_the_browser_left_unpublished_and_read_in_korean(client, minsu, institution):
    log_in(client, minsu)
    url = reverse("inventory:entry_add", args=[institution.pk, "request_fees"])
    form = client.get(url).content.decode()
    for label in ("식별자", "수수료 항목", "단위", "금액(원)", "근거"):
        assert label in form, label
    data = {"key": "yeollam", "item": "열람", "unit": "1건", "basis": "시험시 수수료 조례 제3조"}
    response = client.post(url, {**data, "amount": "", "reason": "조례 반영"})
    assert response.status_code == 302 and response["Location"].endswith("#fees")
    fee = institution.request_fees.get()
    assert fee.amount is None and fee.item == "열람"
    added = AuditEntry.objects.get(action="inventory.add_register_entry")
    assert added.target_type == "inventory.RequestFee" and added.scope_institution == institution.pk
    assert added.details["section"] == "열람 등 수수료"

    edit = reverse("inventory:entry_edit", args=[institution.pk, "request_fees", "yeollam"])
    response = client.post(edit, {**data, "amount": "1000", "reason": "조례 개정 금액"})
    assert response.status_code == 302
    changed = AuditEntry.objects.get(action="inventory.change_register_entry")
    assert changed.details["changes"] == {"amount": [None, 1000]}
    text = details_text(changed.action, changed.details, changed.target_type)
    assert "금액(원)" in text and "amount" not in text, text
    assert [(c.label, c.before, c.after) for c in changes_of(changed.details)] == [
        ("금액(원)", "(없음)", "1,000원")
    ]
    home = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    assert "금액(원): (없음) → 1,000원" in home  # the history of the policy's text, totals and fees


@pytest.mark.django_db
def test_R27_a_negative_amount_or_an_item_twice_is_refused_beside_its_field(client, minsu):
    institution = _with_fees()
    log_in(client, minsu)
    url = reverse("inventory:entry_add", args=[institution.pk, "request_fees"])
    data = {"key": "other", "item": "열람", "unit": "", "basis": "조례", "reason": "시험"}
    page = client.post(url, {**data, "amount": "-5"}).content.decode()
    assert "금액(원):" in page
    page = client.post(url, {**data, "amount": "5"}).content.decode()
    assert "수수료 항목 &#x27;열람&#x27;이(가) 이미 앞에 있습니다 (대장 안에서 하나여야 합니다)" in page
    assert institution.request_fees.count() == 3
    with pytest.raises(EntryRefused) as refused:
        values = {"key": "other", "item": "열람", "unit": "", "amount": 5, "basis": "조례"}
        edit_register(ACTOR, institution, RegisterEdit("request_fees", values=values), "x")
    assert refused.value.problems[0].field == "item"


@pytest.mark.django_db
def test_R27_a_fee_row_is_removed_in_the_browser_with_its_audit_entry(client, minsu):
    institution = _with_fees()
    log_in(client, minsu)
    url = reverse("inventory:entry_edit", args=[institution.pk, "request_fees", "sabon-cd"])
    response = client.post(
        url, {"item": "사본(CD)", "basis": "x", "remove": "1", "reason": "조례 개정으로 폐지"}
    )
    assert response.status_code == 302
    assert [f.key for f in institution.request_fees.all()] == ["yeollam", "sabon-pail"]
    removed = AuditEntry.objects.get(action="inventory.remove_register_entry")
    assert removed.target_type == "inventory.RequestFee" and removed.details["changes"]["item"] == [
        "사본(CD)",
        None,
    ]


@pytest.mark.django_db
def test_R27_only_a_person_over_the_whole_institution_edits_the_fee_table(client, institution):
    gina = make_user(
        "gina",
        "officer",
        institution=institution,
        departments=[institution.departments.get(name="교통행정과")],
    )
    log_in(client, gina)
    url = reverse("inventory:entry_add", args=[institution.pk, "request_fees"])
    assert client.get(url).status_code == 403
