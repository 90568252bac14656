"""R17: the policy states the institution's own grace between expiry and destruction."""

from __future__ import annotations

import json

from jikimi.publishing.queries import load_policy_context
from jikimi.publishing.sections_standard import build_processing_records


def _text(institution) -> str:
    """The generated 처리기록 section (법 제21조), where the policy states the grace."""
    return json.dumps(build_processing_records(load_policy_context(institution)), ensure_ascii=False)


def test_R17_the_policy_states_the_standard_five_days_by_default(gunsan):
    assert "보관기간 만료시 5일 이내 복원이 불가능한 방법으로 파기합니다" in _text(gunsan)


def test_R17_the_policy_states_the_grace_the_institution_set(gunsan):
    gunsan.destruction_grace_days = 3
    gunsan.save()
    text = _text(gunsan)
    assert (
        "보관기간 만료시 3일 이내 복원이 불가능한 방법으로 파기합니다" in text and "5일 이내 복원" not in text
    )
