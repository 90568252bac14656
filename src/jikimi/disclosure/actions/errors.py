"""The request workflow's error (what was refused, in Korean, naming the field) and its text checks."""

from __future__ import annotations

from jikimi.lib.input_limits import check_printable


class RequestError(ValueError):
    """A step refused as asked; nothing was saved. `field` names the form field at fault, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def checked_text(value: str, field: str, label: str, longest: int, *, required: bool) -> str:
    value = (value or "").strip()
    if len(value) > longest:
        raise RequestError(f"{label}은(는) {longest}자까지 쓸 수 있습니다 (지금 {len(value)}자)", field)
    try:
        check_printable(value, label)
    except ValueError as error:
        raise RequestError(str(error), field) from None
    if required and not value:
        raise RequestError(f"{label}을(를) 입력하세요", field)
    return value
