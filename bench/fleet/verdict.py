"""The fleet simulation's verdict, pure: no database, no clock — lists of (start, end) spans in, figures out.

Times are any totally ordered numbers or datetimes; the functions only subtract and compare. A span is
one stored segment (or one recorded outage) of one camera.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

Span = tuple[datetime, datetime]


def overlaps(spans: Iterable[Span]) -> list[tuple[Span, Span]]:
    """Pairs of one camera's segments that overlap: a minute recorded twice (two nodes at once, or a
    hand-back that stored past the cut). Touching segments (end == next start) do not overlap."""
    ordered = sorted(spans)
    found = []
    furthest: Span | None = None
    for span in ordered:
        if furthest is not None and span[0] < furthest[1]:
            found.append((furthest, span))
        if furthest is None or span[1] > furthest[1]:
            furthest = span
    return found


def holes(spans: Iterable[Span], since: datetime, until: datetime) -> list[Span]:
    """Stretches of [since, until] without footage. A segment straddling `since` or `until` counts for
    its part inside."""
    found = []
    cursor = since
    for start, end in sorted(spans):
        if end <= cursor:
            continue
        if start >= until:
            break
        if start > cursor:
            found.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < until:
        found.append((cursor, until))
    return found


def uncovered_seconds(hole: Span, outages: Sequence[Span]) -> float:
    """Seconds of `hole` that no recorded outage covers: footage lost without a record of why."""
    pieces = [hole]
    for o_start, o_end in outages:
        rest = []
        for start, end in pieces:
            if o_end <= start or o_start >= end:
                rest.append((start, end))
                continue
            if o_start > start:
                rest.append((start, o_start))
            if o_end < end:
                rest.append((o_end, end))
        pieces = rest
    return sum((end - start).total_seconds() for start, end in pieces)


@dataclass(frozen=True)
class Loss:
    """One camera's footage over a stretch against its recorded outages."""

    hole_seconds: float  # all footage missing
    outage_seconds: float  # of which a recorded outage explains
    lost_seconds: float  # of which nothing explains, above the tolerance per hole

    @property
    def lost(self) -> bool:
        return self.lost_seconds > 0


def loss(
    spans: Iterable[Span], outages: Sequence[Span], since: datetime, until: datetime, tolerance: float
) -> Loss:
    """Holes in one camera's footage over [since, until] and how much of them no outage explains. A hole
    of at most `tolerance` seconds is the seam between two recorders' segments (cut at keyframes) or a
    segment still being written at `until`, not a loss."""
    found = holes(spans, since, until)
    total = sum((end - start).total_seconds() for start, end in found)
    unexplained = [uncovered_seconds(h, outages) for h in found]
    lost = sum(s for s in unexplained if s > tolerance)
    return Loss(round(total, 3), round(total - sum(unexplained), 3), round(lost, 3))


def balance(per_node: dict[str, int]) -> dict[str, float | int]:
    """Cameras per node: least, most, and the most over the mean (1.0: perfectly even)."""
    counts = list(per_node.values()) or [0]
    mean = statistics.fmean(counts)
    return {
        "nodes": len(per_node),
        "least": min(counts),
        "most": max(counts),
        "most_over_mean": round(max(counts) / mean, 3) if mean else 0.0,
    }


def covered_fraction(spans: Iterable[Span], since: datetime, until: datetime) -> float:
    """Share of [since, until] that a camera's footage covers."""
    window = (until - since).total_seconds()
    missing = sum((end - start).total_seconds() for start, end in holes(spans, since, until))
    return 1.0 - missing / window if window > 0 else 0.0
