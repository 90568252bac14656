"""신구비교표: what changed between two versions of a policy, section by section (R7: 변경 전·후).

Sections are paired by their generated key (or title for free text); within a pair the lines of text
(content.section_lines) are compared with difflib, and changed words are marked with the classes
jk-diff-old / jk-diff-new (web/static/web/jikimi.css).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jikimi.publishing.content import block_lines, section_lines

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class DiffRow:
    old: SafeString
    new: SafeString
    changed: bool


@dataclass
class SectionDiff:
    old_heading: str
    new_heading: str
    rows: list[DiffRow] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old_heading != self.new_heading or any(row.changed for row in self.rows)


def _identity(section: dict[str, Any]) -> str:
    return f"key:{section['key']}" if section.get("key") else f"title:{section.get('title', '')}"


def _mark_words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both lines with their differing words wrapped in <del>/<ins>."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    old_html: list[str] = []
    new_html: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = escape("".join(old_tokens[i1:i2]))
        new_part = escape("".join(new_tokens[j1:j2]))
        if tag == "equal":
            old_html.append(old_part)
            new_html.append(new_part)
            continue
        if old_part:
            old_html.append(f'<del class="jk-diff-old">{old_part}</del>')
        if new_part:
            new_html.append(f'<ins class="jk-diff-new">{new_part}</ins>')
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # noqa: S308 — every part is escaped


def _whole(line: str, css: str) -> SafeString:
    return mark_safe(f'<span class="{css}">{escape(line)}</span>')  # noqa: S308 — escaped


def diff_lines(old_lines: list[str], new_lines: list[str]) -> list[DiffRow]:
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow(escape(line), escape(line), False) for line in old_lines[i1:i2])
            continue
        olds, news = old_lines[i1:i2], new_lines[j1:j2]
        for index in range(max(len(olds), len(news))):
            old = olds[index] if index < len(olds) else None
            new = news[index] if index < len(news) else None
            if old is not None and new is not None:
                marked_old, marked_new = _mark_words(old, new)
                rows.append(DiffRow(marked_old, marked_new, True))
            elif old is not None:
                rows.append(
                    DiffRow(
                        _whole(old, "jk-diff-old"), mark_safe('<span class="jk-muted">(삭제)</span>'), True
                    )
                )
            else:
                rows.append(
                    DiffRow(
                        mark_safe('<span class="jk-muted">(신설)</span>'),
                        _whole(new or "", "jk-diff-new"),
                        True,
                    )
                )
    return rows


def compare_contents(
    old: dict[str, Any], new: dict[str, Any], *, only_changes: bool = True
) -> list[SectionDiff]:
    """Section-by-section differences, in the new version's order; removed sections come last."""
    old_sections = list(old.get("sections", []))
    used: set[int] = set()
    diffs: list[SectionDiff] = []

    def find_old(section: dict[str, Any]) -> int | None:
        for index, candidate in enumerate(old_sections):
            if index not in used and _identity(candidate) == _identity(section):
                return index
        return None

    preamble_old = [line for block in old.get("preamble", []) for line in block_lines(block)]
    preamble_new = [line for block in new.get("preamble", []) for line in block_lines(block)]
    diffs.append(SectionDiff("머리말", "머리말", diff_lines(preamble_old, preamble_new)))
    for section in new.get("sections", []):
        index = find_old(section)
        if index is None:
            diffs.append(SectionDiff("(신설)", section["heading"], diff_lines([], section_lines(section))))
            continue
        used.add(index)
        previous = old_sections[index]
        diffs.append(
            SectionDiff(
                previous["heading"],
                section["heading"],
                diff_lines(section_lines(previous), section_lines(section)),
            )
        )
    for index, previous in enumerate(old_sections):
        if index not in used:
            diffs.append(SectionDiff(previous["heading"], "(삭제)", diff_lines(section_lines(previous), [])))
    if only_changes:
        diffs = [diff for diff in diffs if diff.changed]
        for diff in diffs:
            diff.rows = [row for row in diff.rows if row.changed]
    return diffs
