"""Errors of a register file, each naming the file, the line and the field.

RegisterFileError            the file cannot be imported; `.problems` lists every reason
  └─ (each problem)          FilePosition + path + Korean message, printed as
                             "registers/incheon.yaml:42: device_groups[3].count (설치 대수): 0 이상이어야 합니다"
"""

from __future__ import annotations

from dataclasses import dataclass

from jikimi.rules.register_checks import format_path


@dataclass(frozen=True)
class FileProblem:
    file: str
    line: int | None
    path: tuple[str | int, ...]
    message: str
    title: str = ""  # the field's Korean name
    rule: str = ""  # R-number of LEGAL.md, when the law decides

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = format_path(self.path)
        if field and self.title and self.title != field.rsplit(".", 1)[-1]:
            field = f"{field} ({self.title})"
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}: {field + ': ' if field else ''}{self.message}{rule}"


# A file with thousands of mistakes is told the first ones and how many more: the rest are usually
# the same mistake again, and a 141 MB list helps nobody.
MAX_LISTED = 30
# Problems turned into Korean and kept; past these the file's problems are only counted.
MAX_KEPT = 1_000


class RegisterFileError(Exception):
    """A register file that cannot be imported (or an institution that cannot be exported).

    `.problems` holds every problem, by line; `.listed()` the first MAX_LISTED and a line counting the rest."""

    def __init__(self, problems: list[FileProblem], *, omitted: int = 0):
        self.problems = sorted(problems, key=lambda p: (p.line or 0, format_path(p.path)))
        self.omitted = omitted  # problems found but only counted (past MAX_KEPT)
        super().__init__("\n".join(self.listed()))

    @property
    def count(self) -> int:
        return len(self.problems) + self.omitted

    def listed(self, limit: int = MAX_LISTED) -> list[str]:
        lines = [str(p) for p in self.problems[:limit]]
        rest = self.count - len(lines)
        if rest > 0:
            file = self.problems[0].file if self.problems else ""
            lines.append(f"{file}: 그 밖의 오류 {rest:,}건은 줄였습니다 (모두 {self.count:,}건)")
        return lines
