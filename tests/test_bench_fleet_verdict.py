"""The fleet simulation's verdict (bench/fleet/verdict.py): duplicates, holes, and holes a recorded outage
explains, on hand-made spans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bench.fleet.verdict import balance, covered_fraction, holes, loss, overlaps, uncovered_seconds

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def t(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def run(*pairs: tuple[float, float]) -> list[tuple[datetime, datetime]]:
    return [(t(a), t(b)) for a, b in pairs]


def test_touching_segments_are_no_duplicate_but_an_overlap_is() -> None:
    assert overlaps(run((0, 10), (10, 20), (20, 30))) == []
    assert overlaps(run((0, 10), (9, 19))) == [((t(0), t(10)), (t(9), t(19)))]
    # A segment inside a longer one overlaps it, even past a shorter one in between.
    assert len(overlaps(run((0, 30), (10, 12), (20, 25)))) == 2


def test_holes_are_what_no_segment_covers_inside_the_window() -> None:
    assert holes(run((0, 10), (10, 20)), t(0), t(20)) == []
    assert holes(run((0, 10), (14, 20)), t(0), t(20)) == run((10, 14))
    assert holes(run((-5, 3), (5, 30)), t(0), t(20)) == run((3, 5))  # straddling the window's edges
    assert holes(run((0, 10)), t(0), t(20)) == run((10, 20))
    assert holes([], t(0), t(20)) == run((0, 20))


def test_a_hole_is_lost_only_where_no_recorded_outage_covers_it() -> None:
    assert uncovered_seconds((t(10), t(30)), run((10, 30))) == 0
    assert uncovered_seconds((t(10), t(30)), run((12, 25))) == 7
    assert uncovered_seconds((t(10), t(30)), run((0, 15), (20, 40))) == 5
    # A takeover: the dead node's footage ends at 40, the outage written 40–58, the taker records from 58.
    result = loss(run((0, 20), (20, 40), (58, 68), (68, 78)), run((40, 58)), t(0), t(78), tolerance=1.1)
    assert (result.hole_seconds, result.outage_seconds, result.lost_seconds, result.lost) == (
        18,
        18,
        0,
        False,
    )
    # The same hole with an outage ending 3 s short: 3 s lost.
    result = loss(run((0, 40), (58, 78)), run((40, 55)), t(0), t(78), tolerance=1.1)
    assert (result.lost_seconds, result.lost) == (3, True)
    # A seam of a keyframe interval between two recorders is not a loss.
    assert not loss(run((0, 40), (41, 78)), [], t(0), t(78), tolerance=1.1).lost


def test_balance_and_coverage() -> None:
    assert balance({"a": 250, "b": 250}) == {"nodes": 2, "least": 250, "most": 250, "most_over_mean": 1.0}
    assert balance({"a": 3, "b": 1})["most_over_mean"] == 1.5
    assert covered_fraction(run((0, 10), (15, 20)), t(0), t(20)) == 0.75
