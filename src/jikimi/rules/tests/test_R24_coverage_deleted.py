"""The existence check names footage destroyed on a deletion request as such (법 제36조, R24; R41: the
check must not call it "녹화되지 않음")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jikimi.rules.coverage import COVERAGE_LABELS, Coverage, coverage

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _m(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_deleted_window_reads_as_deleted_and_the_rest_as_before():
    result = coverage(
        T0,
        _m(10),
        [(_m(0), _m(2)), (_m(4), _m(10))],
        deleted=[(_m(2), _m(3))],
        destroyed=[],
    )
    assert [(i.start, i.end, i.coverage) for i in result] == [
        (_m(0), _m(2), Coverage.FOOTAGE),
        (_m(2), _m(3), Coverage.DELETED),
        (_m(3), _m(4), Coverage.NOT_RECORDING),
        (_m(4), _m(10), Coverage.FOOTAGE),
    ]
    assert COVERAGE_LABELS[Coverage.DELETED] == "파기됨 (정보주체 삭제 청구)"


def test_destroyed_at_retention_wins_over_deleted():
    result = coverage(T0, _m(2), [], destroyed=[(_m(0), _m(2))], deleted=[(_m(0), _m(1))])
    assert [i.coverage for i in result] == [Coverage.DESTROYED]
