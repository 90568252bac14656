"""What the account actions refuse, and the reason every change of access must give."""

from __future__ import annotations


class AccountError(ValueError):
    """A request the rules refuse; the message (Korean) says what is wrong and where."""


def need_reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise AccountError(f"{what} 사유를 적어 주십시오")
    return reason
