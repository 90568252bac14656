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
from jikimi.inventory.register_file.reading import _inner_model, load_yaml
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
        kept, _ = load_yaml(source, file)  # the safe loader's limits first: ruamel reads only what it accepts
    except RegisterFileError:
        return None
    want = register_values(fresh)
    if want is None:
        return None
    if register_values(kept) == want:
        return source  # nothing changed since the import: the officer's file, byte for byte
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
    text = out.getvalue()
    try:
        data, _ = load_yaml(text, file)
    except RegisterFileError:
        return None
    return text if register_values(data) == want else None


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
