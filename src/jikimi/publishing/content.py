"""The structured content of a generated policy: sections made of plain JSON blocks.

A policy version freezes this structure (PolicyVersion.content), so it must stay plain JSON:
dicts, lists and strings. Templates render it to HTML and PDF; the comparison (신구비교표) reads
it as lines of text per section.

Blocks:
  {"type": "paragraph", "text": str}
  {"type": "list", "items": [str], "ordered": bool}
  {"type": "table", "caption": str, "groups": [[label, span]], "columns": [str], "rows": [[cell]]}
  {"type": "fields", "title": str, "fields": [[label, value]], "items_title": str, "items": [str]}
  {"type": "note", "text": str}
A table cell is a string or {"text": str, "href": str}; a string with newlines shows as several lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from jikimi.lib.korean import with_particle

# Shown instead of an empty cell where the register (and the seed document) lacks the fact (R4:
# no empty section, no bare "참조" to an attachment that is not there). "(별첨 …)" is added only
# where the seed refers to an attachment (the group's `attachment`): see missing_in.
MISSING = "공개 문서에 미수록"

_ATTACHMENT_PREFIXES = ("별첨", "파일참조:", "파일참조", "첨부")
_ATTACHMENT_SUFFIXES = (
    "— 공개 문서에 미수록",
    "- 공개 문서에 미수록",
    "(공개 문서에 미수록)",
    "공개 문서에 미수록",
)


def attachment_name(attachment: str) -> str:
    """'별첨 고정형 영상정보처리기기 보유 현황 — 공개 문서에 미수록' → '고정형 영상정보처리기기 보유 현황'."""
    name = attachment.strip()
    for suffix in _ATTACHMENT_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)].strip()
            break
    for prefix in _ATTACHMENT_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :].strip()
            break
    return name or attachment.strip()


def missing_in(attachment: str = "") -> str:
    """What an absent fact shows: with the attachment the seed refers to, if it refers to one."""
    if not attachment.strip():
        return MISSING
    return f"{MISSING} (별첨: {attachment_name(attachment)})"


Block = dict[str, Any]
Cell = str | dict[str, str]

# The seeds' own change-history sections ("개인정보 처리방침 변경에 관한 사항", "영상정보처리기기
# 운영·관리방침 변경에 관한 사항", "개인정보 처리방침 변경"): their text states the seed's dates.
_CHANGE_HISTORY_TITLE = re.compile(r"방침\s*(의\s*)?변경")


def named_title(name: str, title: str) -> str:
    """ "군산시 영상정보처리기기 운영·관리방침", but "오산시 영상정보처리기기 설치 및 운영 지침" as it is: a title
    that already starts with the institution's name (or its region, "오산시" of "오산시청") is not prefixed again."""
    title, name = (title or "").strip(), (name or "").strip()
    if not name:
        return title
    if not title:
        return name
    region = name.split()[0]
    if title.startswith(name) or title.startswith(region):
        return title
    return f"{name} {title}"


def is_change_history(section: dict[str, Any]) -> bool:
    """The section that states the policy's dates and history (generated, or the seed's own text)."""
    # A register's section names its builder "generated"; a generated content's section calls it "key".
    key = section.get("generated") or section.get("key")
    if key == "change_history":
        return True
    return not key and bool(_CHANGE_HISTORY_TITLE.search(str(section.get("title") or "")))


def text_or_missing(value: Any, missing: str = MISSING) -> str:
    text = "" if value is None else str(value).strip()
    return text or missing


def paragraph(text: str) -> Block:
    return {"type": "paragraph", "text": text}


def lead(block: Block) -> Block:
    """Mark a generated block as a lead-in: left out when the section has the institution's own text."""
    return {**block, "lead": True}


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _pipe_cells(line: str) -> list[str]:
    """'| 부서 | 대수 |' → ['부서', '대수']; '\\|' is a pipe inside a cell."""
    text = line.strip()
    text = text.removeprefix("|")
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells = re.split(r"(?<!\\)\|", text)
    return [cell.replace("\\|", "|").strip() for cell in cells]


def pipe_table(lines: Sequence[str]) -> Block:
    """A Markdown-style pipe table the institution typed into free text (issue 16, Fidelity: a table
    in its policy is printed as a table, not as raw pipes). A rule line (|---|---|) after the first
    makes that first line the header; without one every line is a row."""
    header: list[str] = []
    body = list(lines)
    if len(body) >= 2 and _TABLE_RULE.match(body[1]):
        header, body = _pipe_cells(body[0]), body[2:]
    rows = [_pipe_cells(line) for line in body if not _TABLE_RULE.match(line)]
    width = max([len(header), *(len(row) for row in rows)])

    def pad(cells: list[str]) -> list[str]:
        return cells + [""] * (width - len(cells))

    return table("", pad(header) if header else [], [pad(row) for row in rows])


def _is_pipe_line(line: str) -> bool:
    return line.lstrip().startswith("|") and line.count("|") >= 2


def paragraphs(text: str) -> list[Block]:
    """Free text as the institution wrote it: blank lines separate paragraphs, single newlines stay,
    a run of lines starting with "- " is a list, and a run of two or more lines starting with "|" is
    a table (Markdown pipe table)."""
    blocks: list[Block] = []
    for chunk in str(text).replace("\r\n", "\n").split("\n\n"):
        lines: list[str] = []
        bullets: list[str] = []
        chunk_lines = chunk.split("\n")
        at = 0
        while at < len(chunk_lines):
            end = at
            while end < len(chunk_lines) and _is_pipe_line(chunk_lines[end]):
                end += 1
            if end - at >= 2:
                if lines:
                    blocks.append(paragraph("\n".join(lines)))
                    lines = []
                if bullets:
                    blocks.append(items(bullets))
                    bullets = []
                blocks.append(pipe_table(chunk_lines[at:end]))
                at = end
                continue
            line = chunk_lines[at]
            at += 1
            if line.lstrip().startswith("- "):
                if lines:
                    blocks.append(paragraph("\n".join(lines)))
                    lines = []
                bullets.append(line.lstrip()[2:].strip())
            elif line.strip():
                if bullets:
                    blocks.append(items(bullets))
                    bullets = []
                lines.append(line.strip())
        if lines:
            blocks.append(paragraph("\n".join(lines)))
        if bullets:
            blocks.append(items(bullets))
    return blocks


def items(entries: Iterable[str], *, ordered: bool = False) -> Block:
    return {"type": "list", "items": [str(entry) for entry in entries], "ordered": ordered}


def note(text: str) -> Block:
    return {"type": "note", "text": text}


def link(text: str, href: str) -> dict[str, str]:
    return {"text": text, "href": href}


def table(
    caption: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    groups: Sequence[tuple[str, int]] | None = None,
) -> Block:
    return {
        "type": "table",
        "caption": caption,
        "groups": [[label, span] for label, span in (groups or [])],
        "columns": list(columns),
        "rows": [list(row) for row in rows],
    }


def fields(
    title: str, pairs: Iterable[tuple[str, str]], *, items_title: str = "", entries: Iterable[str] = ()
) -> Block:
    return {
        "type": "fields",
        "title": title,
        "fields": [[label, value] for label, value in pairs],
        "items_title": items_title,
        "items": list(entries),
    }


def cell_text(cell: Cell) -> str:
    return cell["text"] if isinstance(cell, dict) else str(cell)


def block_lines(block: Block) -> list[str]:
    """The block as lines of text: what a reader compares in a 신구비교표."""
    kind = block.get("type")
    if kind in ("paragraph", "note"):
        return [line for line in block["text"].split("\n") if line.strip()]
    if kind == "list":
        return [f"- {entry}" for entry in block["items"]]
    if kind == "table":
        lines = [f"[{block['caption']}]"] if block.get("caption") else []
        if block["columns"]:
            lines.append(" | ".join(block["columns"]))
        for row in block["rows"]:
            lines.append(" | ".join(cell_text(cell).replace("\n", ", ") for cell in row))
        return lines
    if kind == "fields":
        # Each line names its card (title and first field, e.g. the department), so a changed line
        # in a 신구비교표 says which device group it belongs to.
        first = block["fields"][0][1] if block["fields"] else ""
        context = " · ".join(part for part in (block.get("title", ""), first) if part)
        prefix = f"{context} — " if context else ""
        lines = [f"{prefix}{label}: {value}" for label, value in block["fields"]]
        if block.get("items"):
            lines.append(f"{prefix}{block.get('items_title') or '목록'}: " + ", ".join(block["items"]))
        return lines
    return []


def blocks_as_text(blocks: Sequence[Block]) -> str:
    """Blocks as free text that `paragraphs` reads back (pipe tables, "- " lists): a proposed wording
    the officer edits and adopts as the institution's own (issue 16)."""
    chunks: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "table":
            lines = [f"[{block['caption']}]"] if block.get("caption") else []
            if block["columns"]:
                lines.append("| " + " | ".join(block["columns"]) + " |")
                lines.append("|" + "---|" * len(block["columns"]))
            lines += [
                "| " + " | ".join(cell_text(c).replace("\n", ", ") for c in row) + " |"
                for row in block["rows"]
            ]
            chunks.append("\n".join(lines))
        elif kind == "fields":
            chunks.append("\n".join(f"- {label}: {value}" for label, value in block["fields"]))
        else:
            chunks.append("\n".join(block_lines(block)))
    return "\n\n".join(chunk for chunk in chunks if chunk.strip())


def section_lines(section: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for block in section.get("blocks", []):
        lines.extend(block_lines(block))
    return lines


def document_text(document: dict[str, Any]) -> str:
    """Every character the document shows, for the font-coverage check (no missing glyphs)."""
    parts = [document.get("title", ""), document.get("institution", "")]
    for block in document.get("preamble", []):
        parts.extend(block_lines(block))
    for section in document.get("sections", []):
        parts.append(section.get("heading", ""))
        parts.extend(section_lines(section))
    return "\n".join(parts)


def count_text(count: int | None) -> str:
    """'2,417대' — the seeds write counts with thousands separators."""
    return MISSING if count is None else f"{count:,}대"


def topic(word: str) -> str:
    """The word with its topic particle: 군산시는, 본청은 (은 after a final consonant)."""
    return with_particle(word, "는")


def is_contact(text: str) -> bool:
    """A number someone can call: '별첨 참조' is not one (R4, R9: no bare reference to an attachment)."""
    return any(ch.isdigit() for ch in text or "")


def contact_or_missing(text: str) -> str:
    """A contact as the policy prints it; a bare reference ('별첨 참조') says the attachment is not published."""
    text = (text or "").strip()
    if not text:
        return f"연락처 {MISSING}"
    return text if is_contact(text) else f"{text} — {MISSING}"
