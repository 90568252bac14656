"""What a section of the policy's own text may name — told by publishing, which inventory may not import.

A section's `covers` names the generated keys of the 시행령 제25조① items it carries (R4), and the
request form's `choices` the boxes of the 청구서 (R20). Both lists are publishing's
(`jikimi.publishing.coverage.COVERABLE_KEYS`, `jikimi.publishing.sections_standard.REQUEST_CHOICES`),
and publishing sits above inventory (DESIGN.md layers; the import-linter contract). So publishing
registers them when Django starts (`PublishingConfig.ready` → `provide_section_options`), as accounts
tells audit who reads which entries. Without a registration nothing may be chosen, and the register's
check of these lists stands aside (publishing still refuses an unknown key when it generates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jikimi.inventory.models.policy import PolicyDocument

# The generated section whose extra fields (choices, examples, the policy's name) are the 청구서's.
REQUEST_FORM = "request_form"
REQUEST_FORM_FIELDS = ("choices", "example_period", "example_place", "policy_name")


@dataclass(frozen=True)
class SectionOptions:
    coverable: tuple[str, ...] = ()
    request_choices: tuple[str, ...] = ()

    @property
    def provided(self) -> bool:
        return bool(self.coverable or self.request_choices)

    def coverable_choices(self) -> list[tuple[str, str]]:
        """The keys a section may cover, labelled as the register page names generated sections, in
        that list's order."""
        labels = PolicyDocument.GENERATED_SECTIONS
        known = [(key, labels[key]) for key in labels if key in self.coverable]
        return known + [(key, key) for key in self.coverable if key not in labels]


_provided: list[SectionOptions] = []


def provide_section_options(coverable: Iterable[str], request_choices: Iterable[str]) -> None:
    """Register publishing's lists (jikimi.publishing does, once, when Django starts)."""
    _provided[:] = [SectionOptions(tuple(sorted(set(coverable))), tuple(request_choices))]


def section_options() -> SectionOptions:
    return _provided[0] if _provided else SectionOptions()
