"""What a 아이디 (username) may be: ASCII letters, digits and @ . + - _ only, as the account form says.

Django's own validator accepts any Unicode letter ("김철수"), which the form's help text rules out: a
login name typed on any keyboard layout, in logs and in mail, must be the same characters. The form
and the action (so that the API and the commands cannot bypass it) both check here.
"""

from __future__ import annotations

import re

MAX_LENGTH = 150
ALLOWED = "영문·숫자와 @ . + - _"
_ALLOWED = re.compile(r"[A-Za-z0-9@.+\-_]")


def username_problem(username: str, *, field: str = "아이디") -> str | None:
    """A Korean message naming the field and what is wrong, or None when `username` may be used.

    A form, whose error is shown under the field's label already, passes field="" (no repetition)."""
    named = f"{field} " if field else ""
    if not username:
        return f"{field or '아이디'}를 적어 주십시오."
    if len(username) > MAX_LENGTH:
        return f"{field + '는 ' if field else ''}{MAX_LENGTH}자 이하여야 합니다 ({len(username)}자)."
    refused = sorted({c for c in username if not _ALLOWED.fullmatch(c)}, key=username.index)
    if refused:
        shown = ", ".join("빈칸" if c.isspace() else c for c in refused[:10])
        return f"{named}'{username}'에는 {ALLOWED}만 쓸 수 있습니다 (쓸 수 없는 글자: {shown})."
    return None
