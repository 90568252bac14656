"""The law's checks on a register (R1, R2, R6, R9/R34, R15, R16, R33, R43) over plain dataclasses."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from jikimi.rules.register_checks import (
    ContractorFacts,
    GroupFacts,
    LocationFacts,
    OfficerFacts,
    RegisterFacts,
    Severity,
    TotalFacts,
    check_group,
    check_register,
    check_totals,
    laws_not_published,
    reasons_not_published,
)

BUS_LANE = GroupFacts(
    key="bus-lane",
    name="버스전용차로 단속 CCTV",
    department="교통관리과",
    kind="fixed",
    legal_bases=("traffic_enforcement",),
    purpose="버스전용차로 단속",
    count=2,
    retention="30일",
    recording_hours="평일 07:00~09:00, 17:00~20:00, BRT구간 365일 24시간",
    notice_method="안내판",
    managers=("bus-head",),
    locations=(LocationFacts("율목동 유동3거리"), LocationFacts("간석 레미안자이앞")),
    locations_complete=True,
)
OFFICERS = {"bus-head": OfficerFacts("bus-head", phone="440-8500")}


def errors(problems):
    return [p for p in problems if p.severity is Severity.ERROR]


def test_a_lawful_group_has_no_problems():
    assert check_group(BUS_LANE, ("device_groups", 0), officers=OFFICERS) == []


def test_it_refuses_a_group_without_a_legal_basis():
    [problem] = check_group(replace(BUS_LANE, legal_bases=()), ("device_groups", 3))
    assert problem.rule == "R1"
    assert problem.location == "device_groups[3].legal_bases"
    assert "법 제25조①" in problem.message


def test_it_refuses_a_mobile_basis_on_a_fixed_device():
    [problem] = check_group(replace(BUS_LANE, legal_bases=("consent",)))
    assert problem.rule == "R1" and "'consent'" in problem.message


def test_it_requires_the_enabling_law_for_law_permits():
    [problem] = check_group(replace(BUS_LANE, legal_bases=("law_permits",)))
    assert problem.field == "enabling_law"
    assert check_group(replace(BUS_LANE, legal_bases=("law_permits",), enabling_law="도로교통법")) == []


def test_R1_an_enabling_law_not_published_is_a_warning_naming_the_group():
    # Issue 16: 광양시 cites 1호 for its 2,417 fixed devices but names no law; the register says "not
    # published" (None) — no sentence of ours — and the officer is told what to resolve.
    group = replace(BUS_LANE, legal_bases=("law_permits", "crime"), enabling_law=None)
    [problem] = check_group(group, ("device_groups", 0))
    assert problem.rule == "R1" and problem.field == "enabling_law"
    assert problem.severity is Severity.WARNING and problem.location == "device_groups[0].enabling_law"
    assert "'버스전용차로 단속 CCTV'" in problem.message and "근거 법령 미공개" in problem.message
    assert "방침을 공개하기 전에" in problem.message and "법 제25조①1호" in problem.message
    found = laws_not_published(group, ("device_groups", 0))
    assert (
        found is not None and found.group == "버스전용차로 단속 CCTV" and found.path == ("device_groups", 0)
    )
    # Without 1호 no law is needed, published or not.
    assert check_group(replace(BUS_LANE, enabling_law=None)) == []
    assert laws_not_published(replace(BUS_LANE, enabling_law=None)) is None


def test_R1_an_empty_enabling_law_under_1ho_is_still_an_error_and_a_recorded_one_resolves_it():
    [error] = check_group(replace(BUS_LANE, legal_bases=("law_permits",), enabling_law="  "))
    assert error.is_error and error.field == "enabling_law"
    recorded = replace(BUS_LANE, legal_bases=("law_permits",), enabling_law="도로교통법 제4조의2")
    assert check_group(recorded) == [] and laws_not_published(recorded) is None


def test_it_requires_the_type_of_a_mobile_device():
    mobile = replace(BUS_LANE, kind="mobile", legal_bases=("public_duty",))
    [problem] = check_group(mobile)
    assert problem.rule == "R43" and problem.field == "mobile_type"
    assert check_group(replace(mobile, mobile_type="wearable")) == []


def test_an_unknown_mobile_type_left_to_an_attachment_is_a_warning():
    [problem] = check_group(
        replace(BUS_LANE, kind="mobile", legal_bases=("public_duty",), attachment="별첨 이동형 보유 현황")
    )
    assert problem.rule == "R43" and problem.severity is Severity.WARNING


def test_it_checks_the_osan_classification():
    [problem] = check_group(
        replace(BUS_LANE, classification_primary="교통안전", classification_secondary="쓰레기투기 감시")
    )
    assert problem.field == "classification_secondary"
    assert (
        check_group(
            replace(BUS_LANE, classification_primary="교통안전", classification_secondary="주정차위반단속")
        )
        == []
    )


def test_it_refuses_a_privacy_space():
    group = replace(
        BUS_LANE,
        locations=(*BUS_LANE.locations[:1], LocationFacts("체육관 탈의실", space_type="changing_room")),
    )
    [problem] = errors(check_group(group, ("device_groups", 1)))
    assert problem.rule == "R2"
    assert problem.location == "device_groups[1].locations[1].space_type"
    assert "탈의실" in problem.message and "법 제25조②" in problem.message


def test_a_location_named_after_a_privacy_space_is_a_warning():
    group = replace(BUS_LANE, locations=(LocationFacts("화장실 앞 복도"), LocationFacts("정문")))
    [problem] = check_group(group)
    assert problem.rule == "R2" and problem.severity is Severity.WARNING


def test_retention_is_required():
    [problem] = check_group(replace(BUS_LANE, retention=""))
    assert problem.rule == "R16" and problem.field == "retention"


def test_a_retention_without_machine_meaning_is_kept_and_flagged_with_the_laws_30_days():
    # Issue 16: the published words are kept; the vault keeps such footage 30 days (R16), and says so.
    [problem] = check_group(replace(BUS_LANE, retention="저장용량 범위 내"))
    assert problem.field == "retention" and problem.severity is Severity.WARNING
    assert "30일이 지나면 파기" in problem.message and "retention_days" in problem.message
    assert check_group(replace(BUS_LANE, retention="저장용량 범위 내", retention_days=14)) == []
    [reason] = check_group(replace(BUS_LANE, retention="저장용량 범위 내", retention_days=45))
    assert reason.field == "retention_reason"  # a stated 45 days needs its reason as 45일 would


def test_retention_over_30_days_needs_a_recorded_reason():
    for text in ("45일", "3개월", "10일 ~ 60일", "준영구"):
        [problem] = check_group(replace(BUS_LANE, retention=text))
        assert problem.rule == "R16" and problem.field == "retention_reason", text
        assert check_group(replace(BUS_LANE, retention=text, retention_reason="소송 대비 공문 제123호")) == []
    assert check_group(replace(BUS_LANE, retention="30일 이내")) == []


def test_a_location_retention_over_30_days_needs_the_groups_reason():
    group = replace(
        BUS_LANE,
        locations=(LocationFacts("청사 내외", retention="45일"), LocationFacts("승강기", retention="14일")),
    )
    [problem] = check_group(group)
    assert problem.path[-2:] == ("locations", 0) and problem.rule == "R16"


def test_R16_a_reason_not_published_is_a_warning_naming_the_group_and_what_is_missing():
    # Issue 16: the published text states 3개월 / 준영구 without a reason (인천, 금천구); the register says
    # "not published" (None) — no sentence of ours — and the officer is told what to resolve.
    for text in ("45일", "3개월", "10일 ~ 60일", "준영구"):
        [problem] = check_group(replace(BUS_LANE, retention=text, retention_reason=None))
        assert problem.rule == "R16" and problem.field == "retention_reason", text
        assert problem.severity is Severity.WARNING
        assert "'버스전용차로 단속 CCTV'" in problem.message and f"'{text}'" in problem.message
        assert "사유 미공개" in problem.message and "방침을 공개하기 전에" in problem.message
    # Within 30 days no reason is needed, published or not.
    assert check_group(replace(BUS_LANE, retention="30일", retention_reason=None)) == []


def test_R16_an_empty_reason_is_still_an_error_and_a_recorded_one_resolves_it():
    [error] = check_group(replace(BUS_LANE, retention="준영구", retention_reason=""))
    assert error.is_error and error.field == "retention_reason"
    assert check_group(replace(BUS_LANE, retention="준영구", retention_reason="단속 증거 보존")) == []
    assert (
        reasons_not_published(replace(BUS_LANE, retention="준영구", retention_reason="단속 증거 보존"))
        is None
    )


def test_R16_a_locations_retention_without_a_published_reason_is_named():
    group = replace(
        BUS_LANE,
        retention="14일",
        retention_reason=None,
        locations=(LocationFacts("청사 내외", retention="45일"), LocationFacts("승강기", retention="14일")),
    )
    [problem] = check_group(group, ("device_groups", 2))
    assert problem.severity is Severity.WARNING and problem.location == "device_groups[2].retention_reason"
    assert "'청사 내외: 45일'" in problem.message and "승강기" not in problem.message
    found = reasons_not_published(group, ("device_groups", 2))
    assert found is not None and found.retentions == ("청사 내외: 45일",) and found.maximum_days == 30


def test_R16_a_stated_number_of_days_needs_its_reason_published_too():
    group = replace(BUS_LANE, retention="저장용량 범위 내", retention_days=60, retention_reason=None)
    problems = check_group(group)
    assert [p.field for p in problems if p.rule == "R16"] == ["retention_reason"]
    assert all(not p.is_error for p in problems)


def test_the_non_storing_basis_keeps_nothing():
    group = replace(BUS_LANE, legal_bases=("non_storing",))
    [problem] = check_group(group)
    assert problem.rule == "R15"
    assert check_group(replace(group, retention="미보유")) == []
    assert check_group(replace(group, legal_bases=("crime", "non_storing"))) == []  # some devices may store


def test_recording_hours_without_machine_meaning_are_kept_and_flagged():
    for words in ("산불기간", "단속기간 내"):
        [problem] = check_group(replace(BUS_LANE, recording_hours=words))
        assert problem.field == "recording_hours" and problem.severity is Severity.WARNING
        assert f"'{words}'" in problem.message and "recording_schedule" in problem.message
        assert (
            check_group(replace(BUS_LANE, recording_hours=words, recording_schedule="매일 09:00~18:00")) == []
        )
    [error] = check_group(replace(BUS_LANE, recording_hours="산불기간", recording_schedule="가끔"))
    assert error.field == "recording_schedule" and error.is_error


def test_a_complete_location_list_adds_up_to_the_count():
    [problem] = check_group(replace(BUS_LANE, count=3))
    assert problem.rule == "R6" and "3대" in problem.message and "2대" in problem.message


def test_an_incomplete_list_may_not_exceed_the_count():
    assert check_group(replace(BUS_LANE, count=5, locations_complete=False)) == []
    [problem] = check_group(replace(BUS_LANE, count=1, locations_complete=False))
    assert problem.field == "locations"


def test_R6_a_location_whose_count_is_not_published_adds_nothing_to_the_list():
    # 금천구: 107대 at "구청사내외, 승강기", no split published.
    unpublished = (LocationFacts("청사 내외", count=None), LocationFacts("승강기", count=None))
    assert check_group(replace(BUS_LANE, locations=unpublished, locations_complete=False)) == []
    too_many = (LocationFacts("청사 내외", count=3), LocationFacts("승강기", count=None))
    [problem] = check_group(replace(BUS_LANE, locations=too_many, locations_complete=False))
    assert problem.rule == "R6" and "3대" in problem.message


def test_R6_a_location_list_with_an_unpublished_count_is_never_complete():
    locations = (LocationFacts("율목동 유동3거리", count=2), LocationFacts("승강기", count=None))
    [problem] = check_group(replace(BUS_LANE, locations=locations, locations_complete=True))
    assert problem.rule == "R6" and problem.field == "locations_complete"
    assert "승강기" in problem.message and problem.is_error


def test_a_sign_needs_the_contractors_name_and_contact():
    group = replace(BUS_LANE, contractors=("vendor",))
    nameless = {"vendor": ContractorFacts("vendor", company="")}
    [problem] = errors(check_group(group, contractors=nameless))
    assert problem.rule == "R34"
    no_contact = {"vendor": ContractorFacts("vendor", company="㈜영창티엠에스")}
    [warning] = check_group(group, contractors=no_contact)
    assert warning.severity is Severity.WARNING and "연락처" in warning.message
    assert (
        check_group(group, contractors={"vendor": ContractorFacts("vendor", "성진정보통신", "02-839-7987")})
        == []
    )


def test_a_sign_needs_the_managers_contact():
    [problem] = check_group(BUS_LANE, officers={"bus-head": OfficerFacts("bus-head")})
    assert problem.rule == "R9" and problem.severity is Severity.WARNING


def test_a_contract_without_the_five_items_is_a_warning():
    facts = RegisterFacts(groups=(), contractors=(ContractorFacts("v", "성진정보통신", "02-839-7987"),))
    [problem] = check_register(facts)
    assert problem.rule == "R33" and problem.severity is Severity.WARNING
    assert problem.path == ("contractors", 0)


def test_declared_totals_must_add_up_per_kind_department_and_purpose():
    other = replace(BUS_LANE, key="x", name="방범", department="총무과", legal_bases=("crime",), count=35)
    groups = (BUS_LANE, other)
    good = (
        TotalFacts("고정형", 37, kind="fixed"),
        TotalFacts("총무과", 35, department="총무과"),
        TotalFacts("범죄예방", 35, legal_basis="crime"),
    )
    assert check_totals(groups, good) == []
    [problem] = check_totals(groups, (*good, TotalFacts("교통단속", 3, legal_basis="traffic_enforcement")))
    assert problem.rule == "R6"
    assert problem.location == "declared_totals[3].count"
    assert "3대" in problem.message and "2대" in problem.message


def test_retired_groups_do_not_count_in_totals():
    retired = replace(BUS_LANE, status="retired")
    assert check_totals((retired,), (TotalFacts("고정형", 0, kind="fixed"),)) == []


@settings(deadline=None)  # timing is not what these tests are about; a loaded CI machine is slow
@given(st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=12), st.integers(-3, 3))
def test_a_total_holds_exactly_when_it_is_the_sum(counts, delta):
    groups = tuple(
        replace(BUS_LANE, key=f"g{i}", count=c, locations=(), locations_complete=False)
        for i, c in enumerate(counts)
    )
    problems = check_totals(groups, (TotalFacts("고정형", max(sum(counts) + delta, 0), kind="fixed"),))
    assert (problems == []) == (max(sum(counts) + delta, 0) == sum(counts))


def test_missing_recording_hours_are_a_warning_and_unreadable_ones_an_error():
    [problem] = check_group(replace(BUS_LANE, recording_hours=""))
    assert problem.rule == "R4" and problem.severity is Severity.WARNING
