"""Items of 시행령 제25조① the institution's 방침 lacks, and the wording proposed for each (issue 16).

Nothing is published in the institution's name that it did not write or adopt: for each missing item
the officer sees a proposed wording — what the generator would say from the register — to edit or
replace and adopt (publishing.actions.adopt_section). Until then publishing is refused (R4).
"""

from __future__ import annotations

from dataclasses import dataclass

from jikimi.inventory.models import Institution
from jikimi.publishing.content import blocks_as_text
from jikimi.publishing.coverage import PolicyItem
from jikimi.publishing.generator import BUILDERS, missing_r4_items
from jikimi.publishing.queries import load_policy_context, policy_document_for


@dataclass(frozen=True)
class Proposal:
    item: PolicyItem
    title: str
    body: str


def proposals(institution: Institution) -> list[Proposal]:
    """Each R4 item the 방침 lacks, with a proposed title and text (empty when nothing is missing)."""
    missing = missing_r4_items(policy_document_for(institution))
    if not missing:
        return []
    ctx = load_policy_context(institution)
    return [
        Proposal(item, item.append_title, blocks_as_text(BUILDERS[item.append_key](ctx))) for item in missing
    ]
