"""Export into the officer's own file: their comments and key order, with the register's values.

An institution's register usually starts as a file an officer wrote, with notes ("# 2024 추경으로
증설") and an order of their own. The import keeps that text (`models.RegisterSource`); the export
reads it back with a round-trip YAML library (ruamel.yaml), writes the register's current values into
it — entries matched by their `key`, new ones added where the register has them, removed ones gone —
and so keeps every comment of an entry that is still there.

The stored text passed the safe loader when it was imported; it is read by the safe loader again
first (the limits of `loading`: aliases, nesting, size), so ruamel never reads a file the import
would refuse. The result must read back as exactly the register (else the plain export is used):
export → import gives the same register whatever the file looked like.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from jikimi.inventory.register_file.changes import register_values
from jikimi.inventory.register_file.errors import RegisterFileError
from jikimi.inventory.register_file.reading import LineMap, _inner_model, load_yaml
from jikimi.inventory.register_file.schema import RegisterEntry


def _empty(value: Any) -> bool:
    """Left out when the file left it out: the import reads a missing key as empty (the export's own
    defaults — a location's count 1, its space_type general — are left out by `register_data`)."""
    return value is None or value is False or value == "" or value == []


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 100_000
    yaml.indent(mapping=2, sequence=4, offset=2)  # as `exporting` writes: lists under their key
    yaml.allow_unicode = True
    # null as the plain export writes it (ruamel's own is an empty value)
    yaml.representer.add_representer(
        type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def export_into(source: str, file: str, fresh: dict[str, Any]) -> str | None:
    """`source` with `fresh`'s values (the register data of `register_data`); None when the source
    cannot carry them (then the caller writes the plain export)."""
    try:
        # the safe loader's limits first: ruamel reads only what it accepts
        kept, where = load_yaml(source, file)
    except RegisterFileError:
        return None
    want = register_values(fresh)
    if want is None:
        return None
    if register_values(kept) == want:
        return source  # nothing changed since the import: the officer's file, byte for byte
    text = _spliced(source, kept, where, fresh)
    if text is None:
        text = _round_trip(source, fresh)
    if text is None:
        return None
    try:
        data, _ = load_yaml(text, file)
    except RegisterFileError:
        return None
    return text if register_values(data) == want else None


def _round_trip(source: str, fresh: dict[str, Any]) -> str | None:
    """The whole file through the round-trip library with `fresh`'s values."""
    yaml = _yaml()
    try:
        tree = yaml.load(source)
    except Exception:  # noqa: BLE001 — any reading trouble of a past file: the plain export instead
        return None
    if not isinstance(tree, CommentedMap):
        return None
    _merge_map(tree, fresh, RegisterEntry)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def _spliced(source: str, kept: Any, where: LineMap, fresh: dict[str, Any]) -> str | None:
    """The round trip of only what changed, for a large register: the round-trip library reads and
    writes about 1,000 lines a second (pure Python), so a 20,000-location file took 37 s after one
    edit. Each device group is a block of lines of its own; a group whose values did not change keeps
    its text as it is, a changed one goes through the library alone, and so does the rest of the file
    (the device groups' place left empty). None when the file's device groups are not such blocks
    (then the whole file goes through the library); the caller checks the result reads back as the
    register in any case."""
    groups, wanted = kept.get("device_groups") if isinstance(kept, dict) else None, fresh.get("device_groups")
    if not isinstance(groups, list) or not isinstance(wanted, list) or len(groups) < _SPLICE_FROM:
        return None
    if [g.get("key") if isinstance(g, dict) else None for g in groups] != [g.get("key") for g in wanted]:
        return None  # groups added, removed or reordered: the whole file
    lines = source.splitlines(keepends=True)
    starts = _group_starts(lines, where, len(groups))
    if starts is None:
        return None
    first, end = starts[0], starts[-1]
    # The rest of the file, device groups left out: `device_groups:` keeps its line, the list is empty.
    rest = "".join(lines[: first - 1]) + "device_groups: []\n" + "".join(lines[end:])
    rest_fresh = {**fresh, "device_groups": []}
    rest_text = _round_trip(rest, rest_fresh)
    if rest_text is None or rest_text.count("device_groups: []\n") != 1:
        return None
    blocks: list[str] = []
    for index, (old, new) in enumerate(zip(groups, wanted, strict=True)):
        block = "".join(lines[starts[index] : starts[index + 1]])
        if old != new and _group_values(old) != _group_values(new):
            merged = _round_trip_group(block, new)
            if merged is None:
                return None
            block = merged
        blocks.append(block)
    return rest_text.replace("device_groups: []\n", "device_groups:\n" + "".join(blocks), 1)


# Below this many groups the whole file goes through the library (fast enough, nothing to gain).
_SPLICE_FROM = 20


def _group_starts(lines: list[str], where: LineMap, count: int) -> list[int] | None:
    """Where each device group's block of lines starts (0-based; the first takes the comments between
    `device_groups:` and it, a comment above a later group belongs to the group before) and, last,
    where the list ends; None unless the list is a block sequence of `count` mappings written
    `  - key: …` under a line `device_groups:` of its own."""
    header = where.keys.get(("device_groups",))
    if header is None or lines[header - 1].rstrip("\r\n") != "device_groups:":
        return None
    starts = [header]  # the line after the header, 0-based
    for index in range(count):
        line = where.values.get(("device_groups", index))
        if line is None or not lines[line - 1].startswith("  - ") or lines[line - 1].startswith("  - {"):
            return None
        if index:
            starts.append(line - 1)
    after = [line - 1 for (name, *more), line in where.keys.items() if not more and line > header]
    starts.append(min(after) if after else len(lines))
    # A top-level comment right above the next key belongs to it, not to the last group.
    while starts[-1] > starts[-2] + 1 and lines[starts[-1] - 1].startswith("#"):
        starts[-1] -= 1
    return starts


def _group_values(item: Any) -> Any:
    from jikimi.inventory.register_file.schema import DeviceGroupEntry

    try:
        return DeviceGroupEntry.model_validate(item).model_dump()
    except Exception:  # noqa: BLE001 — a group the schema refuses is never equal: it goes through the library
        return object()


def _round_trip_group(block: str, fresh: dict[str, Any]) -> str | None:
    """One device group's block of lines (a list item under `device_groups:`) with `fresh`'s values."""
    from jikimi.inventory.register_file.schema import DeviceGroupEntry

    yaml = _yaml()
    try:
        tree = yaml.load("device_groups:\n" + block)
    except Exception:  # noqa: BLE001
        return None
    if not isinstance(tree, CommentedMap) or not isinstance(tree.get("device_groups"), CommentedSeq):
        return None
    items = tree["device_groups"]
    if len(items) != 1 or not isinstance(items[0], CommentedMap):
        return None
    _merge_map(items[0], fresh, DeviceGroupEntry)
    out = io.StringIO()
    yaml.dump(tree, out)
    text = out.getvalue()
    prefix = "device_groups:\n"
    return text[len(prefix) :] if text.startswith(prefix) else None


def _merge_map(node: CommentedMap, fresh: dict[str, Any], model: Any) -> CommentedMap:
    """`model`: the schema's entry for this mapping (its defaults: a key the file left out stays out
    while the register holds what the import reads for it — `change_notice_days` 7)."""
    fields = model.model_fields if isinstance(model, type) and issubclass(model, BaseModel) else {}
    for key in [k for k in node if k not in fresh]:
        if key in fields and (
            _empty(node[key]) or _same(fields[key].get_default(call_default_factory=True), node[key])
        ):
            continue  # the file writes out what the export leaves out (`count: null`): the same fact
        del node[key]  # no longer in the register (or an instruction of the import: department_from)
    position = 0
    for key, value in fresh.items():
        inner = _inner_model(fields[key].annotation) if key in fields else None
        if key in node:
            node[key] = _merge(node[key], value, inner)
            position = list(node).index(key) + 1
        elif not _empty(value) and not (
            key in fields and _same(fields[key].get_default(call_default_factory=True), value)
        ):
            node.insert(position, key, _new(value, flow=False))
            position += 1
    return node


def _merge(old: Any, new: Any, model: Any) -> Any:
    if isinstance(new, dict):
        if isinstance(old, CommentedMap):
            return _merge_map(old, new, model)
        return _new(new, flow=isinstance(new, dict) and type(new).__name__ == "_OneLine")
    if isinstance(new, list):
        if isinstance(old, CommentedSeq):
            return _merge_seq(old, new, model)
        return _new(new, flow=False)
    return _scalar(old, new)


def _merge_seq(old: CommentedSeq, new: list[Any], model: Any) -> CommentedSeq:
    def key_of(item: Any) -> Any:
        return item.get("key") if isinstance(item, dict) else None

    keyed = all(isinstance(item, dict) and "key" in item for item in new)
    if keyed and all(isinstance(item, CommentedMap) and "key" in item for item in old):
        by_key = {str(item["key"]): item for item in old}
        if [str(key_of(item)) for item in new] == [str(item["key"]) for item in old]:
            for index, item in enumerate(new):
                old[index] = _merge(old[index], item, model)  # same entries, same order: comments stay put
            return old
        merged = CommentedSeq(
            [
                _merge(by_key[str(key_of(item))], item, model)
                if str(key_of(item)) in by_key
                else _new(item, flow=False)
                for item in new
            ]
        )
        merged.fa.set_block_style()
        return merged
    if len(old) == len(new) and all(isinstance(item, dict) for item in new):
        for index, item in enumerate(new):  # entries without keys (the policy's sections): by place
            old[index] = _merge(old[index], item, model)
        return old
    if len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True)):
        return old
    seq = _new(new, flow=old.fa.flow_style())
    return seq if isinstance(seq, CommentedSeq) else CommentedSeq(new)


def _same(old: Any, new: Any) -> bool:
    return type(old) is not bool and type(new) is not bool and old == new or (old is new)


def _scalar(old: Any, new: Any) -> Any:
    if isinstance(new, bool) or new is None:
        return new
    if isinstance(old, bool) or old is None:
        return _new(new, flow=False)
    if isinstance(new, datetime.date) and isinstance(old, datetime.date) and old == new:
        return old
    if type(new) is int and isinstance(old, int) and old == new:
        return old
    if isinstance(new, str) and isinstance(old, str) and str(old) == new:
        return old  # keeps its quotes and block style
    return _new(new, flow=False)


def _new(value: Any, *, flow: bool) -> Any:
    if isinstance(value, dict):
        node = CommentedMap((k, _new(v, flow=False)) for k, v in value.items())
        if flow or type(value).__name__ == "_OneLine":
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_new(v, flow=False) for v in value)
        if flow:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


__all__ = ["export_into"]
