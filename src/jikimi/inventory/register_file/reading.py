"""Read a register file: the safe loader (data with the line of every value, within limits), then the
schema, each problem reported at the line of the field it is about.

The loader (loading.py) reads YAML event by event and refuses a file at the event that crosses a
limit (size, aliases, nodes, depth, keys, text length); problems it can read past (a duplicate key,
a value too long) are reported with the schema's in the same run.
"""

from __future__ import annotations

import types
import typing
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from jikimi.inventory.register_file.errors import MAX_KEPT, FileProblem, RegisterFileError
from jikimi.inventory.register_file.loading import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_KEYS,
    MAX_NODES,
    MAX_REGISTER_BYTES,
    LineMap,
    check_size,
    decode_register,
    load,
)
from jikimi.inventory.register_file.schema import RegisterEntry

Path = tuple[str | int, ...]

__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_KEYS",
    "MAX_NODES",
    "MAX_REGISTER_BYTES",
    "LineMap",
    "ParsedRegister",
    "check_size",
    "decode_register",
    "parse_register",
]


@dataclass
class ParsedRegister:
    file: str
    entry: RegisterEntry
    lines: LineMap
    text: str
    # Problems of the reading the schema could read past (a duplicate key): the caller reports them
    # with its own checks' (see parse_register's `keep_problems`).
    problems: list[FileProblem] = field(default_factory=list)


def load_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """The plain data of the document and its line map; any problem of the reading is raised."""
    loaded = load(text, file)
    if loaded.problems:
        raise RegisterFileError(loaded.problems)
    return loaded.data, loaded.lines


def parse_register(text: str, file: str, *, keep_problems: bool = False) -> ParsedRegister:
    """Read and validate the shape of a register file; raise RegisterFileError listing every problem.

    `keep_problems`: when the schema reads the file, the reading's own problems (a duplicate key)
    are returned in `.problems` rather than raised, so that the caller's checks (references, the law)
    report theirs in the same run — the caller must refuse the file if any are left."""
    loaded = load(text, file)
    data, lines = loaded.data, loaded.lines
    if not isinstance(data, dict):
        raise RegisterFileError(
            [
                *loaded.problems,
                FileProblem(
                    file, 1, (), "파일의 최상위는 항목(키: 값)이어야 합니다 (format, institution, …)"
                ),
            ]
        )
    # A flood of unknown keys (a file of another format, or made to hurt) is told before the schema
    # turns each into an error object: counting them costs a walk of the keys.
    unknown, unknown_count = _unknown_keys(data, lines, file)
    if unknown_count > MAX_KEPT:
        raise RegisterFileError([*loaded.problems, *unknown], omitted=unknown_count - len(unknown))
    try:
        entry = RegisterEntry.model_validate(data)
    except ValidationError as error:
        # One run reports every problem: the reading's, then the schema's (but not twice for one field),
        # the first MAX_KEPT of them turned into Korean and the others counted.
        known = {problem.path for problem in loaded.problems if problem.path}
        schema: list[FileProblem] = []
        skipped = 0
        for err in error.errors(include_url=False, include_context=True, include_input=True):
            if any(tuple(err["loc"])[:end] in known for end in range(1, len(err["loc"]) + 1)):
                continue
            if len(schema) < MAX_KEPT:
                schema.append(_problem(err, lines, file))
            else:
                skipped += 1
        raise RegisterFileError([*loaded.problems, *schema], omitted=skipped) from None
    if loaded.problems and not keep_problems:
        raise RegisterFileError(loaded.problems)
    return ParsedRegister(file=file, entry=entry, lines=lines, text=text, problems=loaded.problems)


def _unknown_keys(data: dict[str, Any], lines: LineMap, file: str) -> tuple[list[FileProblem], int]:
    """The first MAX_KEPT unknown keys of the file (as the schema would report them) and their count."""
    found: list[FileProblem] = []
    count = 0
    queue: deque[tuple[Any, Any, Path]] = deque([(data, RegisterEntry, ())])  # in the file's order
    while queue:
        value, model, path = queue.popleft()
        if isinstance(value, list):
            queue.extend((item, model, (*path, index)) for index, item in enumerate(value))
            continue
        if not isinstance(value, dict):
            continue
        fields = model.model_fields
        for key, child in value.items():
            if key not in fields:
                count += 1
                if len(found) < MAX_KEPT:
                    where = (*path, key)
                    found.append(
                        FileProblem(
                            file,
                            lines.line(where, key=True),
                            where,
                            korean_message({"type": "extra_forbidden"}),
                        )
                    )
                continue
            inner = _inner_model(fields[key].annotation)
            if inner is not None and isinstance(child, dict | list):
                queue.append((child, inner, (*path, key)))
    return found, count


def _problem(error: Any, lines: LineMap, file: str) -> FileProblem:
    path: Path = tuple(error["loc"])
    kind = error["type"]
    # A missing key is reported at the entry that lacks it; an unknown key at the key itself.
    line = lines.line(path[:-1]) if kind == "missing" else lines.line(path, key=kind == "extra_forbidden")
    return FileProblem(file, line, path, korean_message(error), title=title_of(path))


def korean_message(error: Any) -> str:
    """The Korean wording of a pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = error.get("input")
    shown = f" (적힌 값: {given!r})" if not isinstance(given, dict | list) and given is not None else ""
    messages = {
        "missing": "필수 항목이 없습니다",
        "extra_forbidden": "알 수 없는 항목입니다 (오타인지 확인하세요; docs/register-format.md 참조)",
        "int_type": f"정수여야 합니다{shown}",
        "int_parsing": f"정수여야 합니다{shown}",
        "int_from_float": f"정수여야 합니다{shown}",
        "string_type": f"문자열이어야 합니다{shown} — 숫자처럼 보이는 값은 따옴표로 감싸세요",
        "float_type": f"숫자여야 합니다{shown} — 따옴표 없이 37.5665처럼 적으세요",
        "float_parsing": f"숫자여야 합니다{shown}",
        "finite_number": f"유한한 숫자여야 합니다{shown}",
        "bool_type": f"true 또는 false여야 합니다{shown}",
        "bool_parsing": f"true 또는 false여야 합니다{shown}",
        "list_type": f"목록이어야 합니다{shown}",
        "dict_type": f"항목(키: 값)이어야 합니다{shown}",
        "model_type": f"항목(키: 값)이어야 합니다{shown}",
        "model_attributes_type": f"항목(키: 값)이어야 합니다{shown}",
        "date_type": f"날짜(YYYY-MM-DD)여야 합니다{shown}",
        "date_parsing": f"날짜(YYYY-MM-DD)가 아닙니다{shown}",
        "date_from_datetime_parsing": f"있을 수 없는 날짜이거나 YYYY-MM-DD 형식이 아닙니다{shown}",
        "date_from_datetime_inexact": f"시각 없이 날짜(YYYY-MM-DD)만 적어야 합니다{shown}",
        "string_pattern_mismatch": f"영문자·숫자·하이픈(-)·밑줄(_)만 쓸 수 있습니다{shown}",
    }
    if kind in messages:
        return messages[kind]
    if kind == "greater_than_equal":
        return f"{ctx.get('ge')} 이상이어야 합니다{shown}"
    if kind == "greater_than":
        return f"{ctx.get('gt')}보다 커야 합니다{shown}"
    if kind == "less_than_equal":
        return f"{ctx.get('le')} 이하여야 합니다{shown}"
    if kind == "less_than":
        return f"{ctx.get('lt')}보다 작아야 합니다{shown}"
    if kind == "too_long":
        return f"{ctx.get('max_length')}개까지 적을 수 있습니다 (지금 {ctx.get('actual_length', '?')}개)"
    if kind == "too_short":
        return f"{ctx.get('min_length')}개 이상이어야 합니다"
    if kind == "json_invalid":
        return "JSON 형식이 아닙니다"
    if kind == "string_too_short":
        return (
            "비어 있으면 안 됩니다"
            if ctx.get("min_length") == 1
            else f"{ctx.get('min_length')}자 이상이어야 합니다"
        )
    if kind == "string_too_long":
        return f"{ctx.get('max_length')}자 이하여야 합니다 (지금 {len(given) if isinstance(given, str) else '?'}자)"
    if kind == "literal_error":
        return f"다음 중 하나여야 합니다: {ctx.get('expected')}{shown}"
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return f"{error.get('msg', '올바르지 않은 값입니다')}{shown}"


def title_of(path: Path) -> str:
    """The Korean title of the field at `path` ('' when unknown)."""
    model: Any = RegisterEntry
    title = ""
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return ""
        info = model.model_fields[part]
        title = info.title or ""
        model = _inner_model(info.annotation)
    return title


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside list[...], X | None or Annotated[...], if any."""
    for _ in range(5):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            annotation = args[0]
        elif origin in (list, typing.Union, types.UnionType):
            candidates = [a for a in args if a is not type(None)]
            annotation = candidates[0] if candidates else None
        else:
            return None
    return None
