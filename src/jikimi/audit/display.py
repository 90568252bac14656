"""How an entry's details read on the auditor's page: times in Asia/Seoul, Korean as Korean.

Details are stored as JSON with times in UTC (Django's encoder: "2026-11-22T23:59:00Z"). Shown raw, an
upload recorded at 08:59 KST read as 23:59 of the day before, and the auditor's monthly review (R40)
compares the log against the other pages, which all show Seoul time. Storage stays as it is: the
hash chain covers the stored text.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from jikimi.lib.clock import SEOUL

_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


def _seoul(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _seoul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_seoul(item) for item in value]
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        return f"{datetime.fromisoformat(value).astimezone(SEOUL):%Y-%m-%d %H:%M:%S}"
    return value


def readable_details(details: dict[str, Any]) -> str:
    """`details` as one line of JSON, its moments in Seoul time ("" when there are none).

    Keys are sorted: PostgreSQL's jsonb does not keep the order they were written in, SQLite does, and
    the auditor should read the same line whichever database holds it.
    """
    if not details:
        return ""
    return json.dumps(_seoul(details), ensure_ascii=False, sort_keys=True)
