"""The world of the tests of what follows a provision: the desk (인천: alice of 교통행정과, charlie of
총무과, bob the privacy officer; 광양 apart), two police stations of 인천 with an officer account each,
a case of 남동경찰서 on 정문 provided on 2026-12-01 10:00 (Seoul), and the clock pinned there."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from jikimi.disclosure.models import ExternalRequester, RequestingBody
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories_provisions import make_body, make_requester
from jikimi.lib.clock import SEOUL

PROVIDED = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)


def at(text: str) -> datetime:
    """A Seoul moment, "2026-12-03" (09:00) or "2026-12-03T15:00"."""
    moment = datetime.fromisoformat(text if "T" in text else f"{text}T09:00")
    return moment.replace(tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    # The world is built before the days the tests travel to: the audit chain never goes back.
    with time_machine.travel(PROVIDED - timedelta(hours=1), tick=False):
        yield


@pytest.fixture(autouse=True)
def attachment_store(settings: Any, tmp_path: Path) -> None:
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"


@dataclass
class Police:
    namdong: RequestingBody
    yeonsu: RequestingBody
    kim: ExternalRequester  # 남동경찰서
    lee: ExternalRequester  # 연수경찰서


@pytest.fixture
def police(desk: Desk) -> Police:
    namdong = make_body(desk.institution, "인천남동경찰서")
    yeonsu = make_body(desk.institution, "인천연수경찰서")
    return Police(
        namdong,
        yeonsu,
        make_requester(namdong, "kim-police", created_by=desk.bob, email="kim@police.test"),
        make_requester(yeonsu, "lee-police", created_by=desk.bob, email="lee@police.test"),
    )
