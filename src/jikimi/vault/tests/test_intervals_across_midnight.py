"""Intervals in the vault's messages name the end's day when it is another day (issue 12: "2026-12-05
14:53:00 ~ 14:43:14"): what a file left out of the recording hours, a footage part that cannot be
played, a recorded outage."""

from datetime import datetime
from zoneinfo import ZoneInfo

from jikimi.inventory.models import Device
from jikimi.vault.actions.ingest import IngestResult
from jikimi.vault.models import Segment

SEOUL = ZoneInfo("Asia/Seoul")
EVENING = datetime(2026, 12, 5, 14, 53, tzinfo=SEOUL)
NEXT_MORNING = datetime(2026, 12, 6, 0, 43, 14, tzinfo=SEOUL)


def test_what_a_file_left_out_across_midnight_names_both_days() -> None:
    result = IngestResult(
        device=Device(name="정문 1번"),  # not read by left_out
        segments=0,
        start=None,
        end=None,
        stored_bytes=0,
        had_audio=False,
        dropped=((EVENING, NEXT_MORNING),),
        hours="평일 07:00~09:00",
    )
    assert result.left_out().endswith("2026-12-05 14:53:00 ~ 2026-12-06 00:43:14")


def test_a_footage_part_is_named_by_both_days() -> None:
    from jikimi.vault.playback import _span

    assert _span(Segment(start=EVENING, end=NEXT_MORNING)) == "2026-12-05 14:53:00 ~ 2026-12-06 00:43:14"
