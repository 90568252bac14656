"""Read a register file: YAML with the line of every node, then the schema, then the law's checks.

PyYAML composes the node tree first; every node's position is kept by its path (("device_groups",
3, "count") → line 57), and every error — YAML syntax, schema, reference, the law — is reported at
the line of the field it is about. Dates are not turned into date objects by YAML (the timestamp
resolver is removed): the schema reads them, so "2024-02-30" is an error with a line, not a crash.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from jikimi.inventory.register_file.errors import FileProblem, RegisterFileError
from jikimi.inventory.register_file.schema import RegisterEntry

Path = tuple[str | int, ...]

# Inputs have limits, checked before the work: the largest seed register is 64 KB, 1,451 YAML nodes,
# 5 levels deep. A file far past these bounds is refused before it is parsed (size) or built (nodes,
# depth) — an alias bomb ("billion laughs") or a self-referencing alias costs nothing.
MAX_REGISTER_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 20


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: dates stay text until the schema reads them."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class LineMap:
    """Where each path of the document is: the value's line, and for mapping keys the key's line."""

    values: dict[Path, int] = field(default_factory=dict)
    keys: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path, *, key: bool = False) -> int | None:
        if key and path in self.keys:
            return self.keys[path]
        probe = tuple(path)
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), None)


@dataclass
class ParsedRegister:
    file: str
    entry: RegisterEntry
    lines: LineMap
    text: str


def check_size(size: int, file: str) -> None:
    """Refuse a register file larger than MAX_REGISTER_BYTES before reading it."""
    if size > MAX_REGISTER_BYTES:
        raise RegisterFileError(
            [
                FileProblem(
                    file,
                    None,
                    (),
                    f"파일이 너무 큽니다 ({size / 1024 / 1024:,.1f}MB): 대장 파일은 "
                    f"{MAX_REGISTER_BYTES // 1024 // 1024}MB까지 받습니다",
                )
            ]
        )


class _TooLarge(Exception):
    def __init__(self, problem: FileProblem) -> None:
        self.problem = problem


def load_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """The plain data of the document and its line map; YAML errors name the line."""
    check_size(len(text.encode("utf-8")), file)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RegisterFileError([FileProblem(file, 1, (), "파일이 비어 있습니다")])
        lines = LineMap()
        problems: list[FileProblem] = []
        try:
            _walk(node, (), lines, problems, file, [0])
        except _TooLarge as too_large:
            raise RegisterFileError([too_large.problem]) from None
        if problems:
            raise RegisterFileError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise RegisterFileError([FileProblem(file, line, (), f"YAML 문법 오류입니다: {what}")]) from error
    except yaml.YAMLError as error:
        raise RegisterFileError([FileProblem(file, None, (), f"YAML을 읽을 수 없습니다: {error}")]) from error
    finally:
        loader.dispose()
    return data, lines


def _walk(
    node: yaml.Node, path: Path, lines: LineMap, problems: list[FileProblem], file: str, seen_nodes: list[int]
) -> None:
    # Aliases are walked where they are used, so these counts are what constructing the data would cost.
    seen_nodes[0] += 1
    line = node.start_mark.line + 1
    if len(path) > MAX_DEPTH:
        raise _TooLarge(
            FileProblem(
                file,
                line,
                path,
                f"항목이 너무 깊게 겹쳐 있습니다 ({MAX_DEPTH}단계까지; 스스로를 가리키는 별칭(*)인지 확인하세요)",
            )
        )
    if seen_nodes[0] > MAX_NODES:
        raise _TooLarge(
            FileProblem(
                file,
                line,
                path,
                f"항목이 너무 많습니다 ({MAX_NODES:,}개까지; 별칭(*)이 되풀이해 펼쳐지는지 확인하세요)",
            )
        )
    lines.values[path] = line
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                problems.append(
                    FileProblem(
                        file,
                        key_node.start_mark.line + 1,
                        child,
                        f"같은 항목이 두 번 있습니다 (처음: {seen[key]}행)",
                    )
                )
                continue
            seen[key] = key_node.start_mark.line + 1
            lines.keys[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines, problems, file, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, problems, file, seen_nodes)


def parse_register(text: str, file: str) -> ParsedRegister:
    """Read and validate the shape of a register file; raise RegisterFileError listing every problem."""
    data, lines = load_yaml(text, file)
    if not isinstance(data, dict):
        raise RegisterFileError(
            [FileProblem(file, 1, (), "파일의 최상위는 항목(키: 값)이어야 합니다 (format, institution, …)")]
        )
    try:
        entry = RegisterEntry.model_validate(data)
    except ValidationError as error:
        raise RegisterFileError([_problem(err, lines, file) for err in error.errors()]) from error
    return ParsedRegister(file=file, entry=entry, lines=lines, text=text)


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
