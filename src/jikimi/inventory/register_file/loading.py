"""The safe loader of register files: YAML read event by event, every limit checked as it is reached.

Inputs have limits, checked before the work (DESIGN.md). A whole YAML tree is never built first and
measured after: libyaml (C) hands over one event at a time and this module builds the plain data —
and the line of every value — from them, counting as it goes. So a file is refused at the event that
crosses a limit, whatever follows it:

    aliases     at most MAX_ALIASES `*name` uses, and what they stand for counts as if written out
                (an alias bomb — "billion laughs" — is refused at its first expansion past MAX_NODES;
                an alias of the entry that holds it is refused, not followed)
    nodes       at most MAX_NODES values, aliases expanded (the largest seed has 1,451)
    depth       at most MAX_DEPTH levels (the format has 5); "[[[[…" is refused at level 21, not a crash
    keys        at most MAX_KEYS keys in one entry (an entry of the format has at most 31 fields)
    text        at most MAX_TEXT characters in one value (a 50 MB text is refused, naming its field)

Errors the file can still be read past (a duplicate key, a value too long, an unknown tag) are
collected, so that a file's problems are reported in one run; the others stop the reading. YAML
syntax errors are told in Korean, with line and column.

Scalars mean what YAML's safe loader makes of them (null, true/false, numbers, text), except dates:
they stay text until the schema reads them, so "2024-02-30" is an error with a line, not a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from jikimi.inventory.register_file.errors import FileProblem, RegisterFileError
from jikimi.inventory.register_file.schema import MAX_TEXT

Path = tuple[str | int, ...]

MAX_REGISTER_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 20
MAX_ALIASES = 100
MAX_KEYS = 200

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
}  # explicit tags allowed; any other (!!python/…, !!binary, a private !tag) is refused


class _Resolver(Resolver):
    """YAML 1.1 implicit types without the timestamp (dates stay text until the schema reads them)."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_RESOLVER = _Resolver()
_CONSTRUCTOR = SafeConstructor()


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
class Loaded:
    data: Any
    lines: LineMap
    problems: list[FileProblem]  # problems found while reading that did not stop it


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


def decode_register(data: bytes, file: str) -> str:
    """The text of a register file's bytes: UTF-8 (with or without BOM); a file saved as CP949/EUC-KR
    (한글 Windows' default "ANSI") is refused with the way to save it as UTF-8."""
    check_size(len(data), file)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        try:
            data.decode("cp949")
        except UnicodeDecodeError:
            hint = "UTF-8로 저장된 텍스트 파일인지 확인하세요"
        else:
            hint = (
                "CP949(EUC-KR, 한글 Windows의 ANSI)로 저장된 파일로 보입니다 — 메모장의 '다른 이름으로 저장'에서 "
                "인코딩을 UTF-8로 골라 다시 저장하세요"
            )
        raise RegisterFileError(
            [FileProblem(file, line, (), f"UTF-8 텍스트가 아닙니다 ({error.start + 1}번째 바이트): {hint}")]
        ) from None


@dataclass
class _Frame:
    """An open mapping or sequence."""

    value: Any
    path: Path
    start_nodes: int
    anchor: str | None
    height: int = 0  # levels below this one (for aliases of it)
    key: str | None = None  # a mapping's key waiting for its value
    key_line: int = 0
    skip: bool = False  # the key is a duplicate: its value is read and dropped
    merging: bool = False  # the key is `<<`: its value's entries are merged when the entry ends
    seen: dict[str, int] = field(default_factory=dict)
    merges: list[Any] = field(default_factory=list)


@dataclass
class _Anchor:
    value: Any
    nodes: int  # values it stands for, aliases in it expanded
    height: int
    open: bool  # still being read: an alias of it would be an entry containing itself


class _Reader:
    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        self.lines = LineMap()
        self.problems: list[FileProblem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchor] = {}
        self.nodes = 0
        self.aliases = 0

    def stop(self, line: int | None, path: Path, message: str) -> RegisterFileError:
        return RegisterFileError([*self.problems, FileProblem(self.file, line, path, message)])

    def read(self) -> Loaded:
        parser = _Parser(self.text)
        try:
            root = self._events(parser)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else None
            where = f" ({mark.column + 1}열)" if mark else ""
            raise self.stop(line, (), f"YAML 문법 오류{where}: {syntax_message(error)}") from None
        except yaml.YAMLError:
            raise self.stop(None, (), "YAML로 읽을 수 없는 파일입니다") from None
        finally:
            parser.dispose()
        return Loaded(root, self.lines, self.problems)

    def _events(self, parser: Any) -> Any:
        root: Any = None
        documents = 0
        done = False
        while parser.check_event():
            event = parser.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.stop(
                        line, (), "한 파일에는 대장 하나만 적습니다 (문서 구분 '---'이 두 번 이상 있습니다)"
                    )
                continue
            if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent | yaml.DocumentEndEvent):
                continue
            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                value, done = self._close(), not self.stack
                if done:
                    root = value
                continue
            top = self.stack[-1] if self.stack else None
            if top is not None and isinstance(top.value, dict) and top.key is None:
                self._key(event, top, line)
                continue
            path = self._path(top)
            value = self._value(event, path, line, top)
            if top is None and not isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                root, done = value, True
        if documents == 0 or (root is None and not done):
            raise self.stop(1, (), "파일이 비어 있습니다")
        return root

    def _path(self, top: _Frame | None) -> Path:
        if top is None:
            return ()
        if isinstance(top.value, dict):
            assert top.key is not None
            return (*top.path, top.key)
        return (*top.path, len(top.value))

    def _key(self, event: Any, top: _Frame, line: int) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise self.stop(
                line, top.path, "항목 이름(키)은 글자여야 합니다 (목록·항목·별칭은 키가 될 수 없습니다)"
            )
        key = str(event.value)
        if len(top.seen) >= MAX_KEYS:
            raise self.stop(
                line,
                top.path,
                f"한 항목에 키가 너무 많습니다 ({MAX_KEYS}개까지; 대장의 항목은 많아야 31개입니다)",
            )
        self._count(line, (*top.path, key))
        top.key, top.key_line, top.skip, top.merging = key, line, False, False
        if key in top.seen:
            self.problems.append(
                FileProblem(
                    self.file, line, (*top.path, key), f"같은 항목이 두 번 있습니다 (처음: {top.seen[key]}행)"
                )
            )
            top.skip = True
        elif event.value == "<<" and event.tag is None and event.implicit[0]:
            top.seen[key] = line  # a merge key (`<<: *defaults`): its entries are merged at the end
            top.merging = True
        else:
            top.seen[key] = line
            self.lines.keys[(*top.path, key)] = line

    def _count(self, line: int, path: Path, nodes: int = 1) -> None:
        self.nodes += nodes
        if self.nodes > MAX_NODES:
            raise self.stop(
                line,
                path,
                f"항목이 너무 많습니다 (별칭을 펼쳐 {MAX_NODES:,}개까지"
                + ("; 별칭(*)이 되풀이해 펼쳐지는지 확인하세요)" if self.aliases else ")"),
            )

    def _depth(self, line: int, path: Path, below: int = 0) -> None:
        depth = len(self.stack) + below
        for level, frame in enumerate(self.stack, start=1):  # an open entry is as deep as what it holds
            frame.height = max(frame.height, depth - level)
        if depth > MAX_DEPTH:
            raise self.stop(
                line,
                path,
                f"항목이 너무 깊게 겹쳐 있습니다 ({MAX_DEPTH}단계까지; 스스로를 가리키는 별칭(*)인지 확인하세요)",
            )

    def _value(self, event: Any, path: Path, line: int, top: _Frame | None) -> Any:
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.stop(line, path, f"별칭(*)이 너무 많습니다 ({MAX_ALIASES}개까지)")
            anchor = self.anchors.get(str(event.anchor))
            if anchor is None:
                raise self.stop(
                    line, path, f"정의되지 않은 별칭입니다 (*{event.anchor}; 앞에 &{event.anchor}가 없습니다)"
                )
            if anchor.open:
                raise self.stop(line, path, f"별칭 *{event.anchor}이(가) 자기를 담은 항목을 가리킵니다")
            self._count(line, path, anchor.nodes)
            if isinstance(anchor.value, dict | list):
                self._depth(line, path, anchor.height + 1)
            self._put(top, anchor.value, path, line)
            return anchor.value
        self._count(line, path)
        if isinstance(event, yaml.ScalarEvent):
            value = self._scalar(event, path, line)
            self._put(top, value, path, line)
            if event.anchor:
                self.anchors[event.anchor] = _Anchor(value, 1, 0, open=False)
            return value
        if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            self.problems.append(FileProblem(self.file, line, path, f"쓸 수 없는 태그입니다 ({event.tag})"))
        container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        self._put(top, container, path, line)
        self.stack.append(_Frame(container, path, self.nodes - 1, event.anchor))
        self._depth(line, path)
        if event.anchor:
            self.anchors[event.anchor] = _Anchor(container, 0, 0, open=True)
        return container

    def _put(self, top: _Frame | None, value: Any, path: Path, line: int) -> None:
        if top is None:
            self.lines.values[()] = line
            return
        if isinstance(top.value, list):
            top.value.append(value)
            self.lines.values[path] = line
            return
        assert top.key is not None
        if top.skip:
            pass
        elif top.merging:
            top.merges.extend(value if isinstance(value, list) else [value])
        else:
            top.value[top.key] = value
            self.lines.values[path] = line
        top.key = None

    def _close(self) -> Any:
        frame = self.stack.pop()
        if isinstance(frame.value, dict):
            for source in frame.merges:  # keys written in the entry itself win, then the first merged
                if isinstance(source, dict):
                    for key, value in source.items():
                        frame.value.setdefault(key, value)
        if frame.anchor:
            self.anchors[frame.anchor] = _Anchor(
                frame.value, self.nodes - frame.start_nodes, frame.height, open=False
            )
        return frame.value

    def _scalar(self, event: Any, path: Path, line: int) -> Any:
        value = event.value
        if len(value) > MAX_TEXT:
            self.problems.append(
                FileProblem(
                    self.file, line, path, f"값이 너무 깁니다 ({len(value):,}자; 한 값은 {MAX_TEXT:,}자까지)"
                )
            )
            return ""
        tag = event.tag
        if tag in (None, "!"):
            if tag is not None or not event.implicit[0]:
                return value  # quoted or block text, or `!`: text
            tag = _RESOLVER.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        elif tag not in _SCALAR_TAGS:
            self.problems.append(FileProblem(self.file, line, path, f"쓸 수 없는 태그입니다 ({tag})"))
            return value
        if tag in (_STR, _MERGE):
            return value
        try:
            return SafeConstructor.yaml_constructors[tag](_CONSTRUCTOR, ScalarNode(tag, value))
        except (ConstructorError, ValueError):
            self.problems.append(
                FileProblem(
                    self.file, line, path, f"{tag.rsplit(':', 1)[-1]} 값으로 읽을 수 없습니다 ({value!r})"
                )
            )
            return value


def load(text: str, file: str) -> Loaded:
    """The plain data of a register file's text and its line map, within the limits."""
    check_size(len(text.encode("utf-8")), file)
    return _Reader(text, file).read()


# libyaml's problems as a person fixing the file needs them (the English text never reaches them).
_SYNTAX: tuple[tuple[str, str], ...] = (
    ("exceeded maximum nesting depth", f"항목이 너무 깊게 겹쳐 있습니다 ({MAX_DEPTH}단계까지)"),
    (
        "mapping values are not allowed",
        "여기에는 '키: 값'을 쓸 수 없습니다 — 들여쓰기를 확인하고, 콜론(:)이 든 값은 따옴표로 감싸세요",
    ),
    (
        "did not find expected ',' or ']'",
        "대괄호 목록([ … ])이 닫히지 않았습니다 — ']'나 쉼표(,)가 빠졌습니다",
    ),
    (
        "did not find expected ',' or '}'",
        "중괄호 항목({ … })이 닫히지 않았습니다 — '}'나 쉼표(,)가 빠졌습니다",
    ),
    ("did not find expected key", "들여쓰기가 맞지 않거나 항목 이름(키)이 빠졌습니다"),
    ("did not find expected '-' indicator", "목록 항목('- ')의 들여쓰기가 맞지 않습니다"),
    ("could not find expected ':'", "항목 이름 뒤에 콜론(:)이 빠졌습니다"),
    ("found unexpected end of stream", "파일이 중간에 끝났습니다 — 따옴표가 닫히지 않았습니다"),
    ("found unexpected end", "파일이 중간에 끝났습니다 — 따옴표나 괄호가 닫히지 않았습니다"),
    ("tab", "들여쓰기에 탭(Tab)을 쓸 수 없습니다 — 빈칸으로 들여 쓰세요"),
    (
        "found character that cannot start any token",
        "값을 시작할 수 없는 문자입니다 — 값을 따옴표로 감싸거나 탭 대신 빈칸을 쓰세요",
    ),
    (
        "found unknown escape character",
        "큰따옴표 안에 알 수 없는 역슬래시(\\) 표현이 있습니다 — 작은따옴표로 감싸세요",
    ),
    (
        "block sequence entries are not allowed",
        "여기에는 목록 항목('- ')을 쓸 수 없습니다 — 들여쓰기를 확인하세요",
    ),
    ("found duplicate anchor", "같은 이름의 앵커(&)가 두 번 있습니다"),
    ("control characters are not allowed", "쓸 수 없는 제어 문자가 있습니다"),
    ("invalid leading UTF-8 octet", "UTF-8이 아닌 글자가 있습니다"),
    ("expected <block end>", "들여쓰기가 맞지 않습니다 — 같은 단계의 항목은 같은 칸에서 시작해야 합니다"),
    ("expected <document start>", "들여쓰기가 맞지 않거나 파일 최상위에 항목이 아닌 것이 있습니다"),
    (
        "did not find expected alphabetic or numeric character",
        "앵커(&)나 별칭(*)의 이름이 없습니다 — '*'나 '&'로 시작하는 값은 따옴표로 감싸세요",
    ),
    ("did not find expected whitespace or line break", "따옴표로 끝난 값 뒤에 다른 글자가 있습니다"),
    ("did not find URI escaped octet", "태그(!)를 읽을 수 없습니다 — '!'로 시작하는 값은 따옴표로 감싸세요"),
    ("did not find expected tag URI", "태그(!)를 읽을 수 없습니다 — '!'로 시작하는 값은 따옴표로 감싸세요"),
)


def syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = f"{error.problem or ''} {error.context or ''}"
    for english, korean in _SYNTAX:
        if english in problem:
            return korean
    return "YAML 문법에 맞지 않습니다 — 이 줄과 바로 앞 줄의 들여쓰기·따옴표·괄호를 확인하세요"
