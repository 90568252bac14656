"""Export after an edit of a large register (issue 16 bench: 20,000 locations took 37 s after one
edit). Only the changed device groups and the rest of the file go through the round-trip library; the
other groups keep their text byte for byte. The result is what the whole file's round trip gives."""

from __future__ import annotations

import copy

import pytest

from jikimi.inventory.register_file.preserving import _SPLICE_FROM, _round_trip, _spliced, export_into
from jikimi.inventory.register_file.reading import load_yaml

GROUPS = _SPLICE_FROM + 5


def large() -> str:
    lines = [
        "# 합성 대장 (지우지 마세요)",
        "format: jikimi-register/1",
        "institution:",
        "  name: 합성시",
        "  slug: hapseong",
        "departments:",
        "  - {key: d0, name: 합성과}",
        "device_groups:",
        "  # 첫 묶음 위의 메모",
    ]
    for g in range(GROUPS):
        if g == 7:
            lines.append("  # 2024 추경으로 증설 — 7번 묶음")
        lines += [
            f"  - key: g{g}",
            f"    name: 방범용 CCTV {g}   # 이름 메모 {g}",
            "    department: 합성과",
            "    legal_bases: [crime]",
            "    purpose: 범죄 예방",
            "    count: 2",
            "    recording_hours: 24시간",
            "    retention: 30일",
            "    locations:",
            f"      - {{key: l0, name: 합성{g}동 1번지}}",
            f"      - {{key: l1, name: 합성{g}동 2번지}}",
        ]
    lines += [
        "# 공표 합계 (방침 제3조)",
        "declared_totals:",
        f"  - {{key: all, label: 고정형, count: {2 * GROUPS}, kind: fixed}}",
    ]
    return "\n".join(lines) + "\n"


def _edited(text: str, edit) -> tuple[dict, str]:
    data, _ = load_yaml(text, "hapseong.yaml")
    fresh = copy.deepcopy(data)
    edit(fresh)
    return fresh, export_into(text, "hapseong.yaml", fresh)


def _group_block(text: str, g: int) -> str:
    start = text.index(f"  - key: g{g}\n")
    end = text.index(f"  - key: g{g + 1}\n") if g + 1 < GROUPS else text.index("# 공표 합계")
    return text[start:end]


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["device_groups"][7].update(coverage="편집된 촬영 범위"),
        lambda d: d["device_groups"][GROUPS - 1]["locations"][1].update(name="바뀐 번지"),
        lambda d: d["institution"].update(phone="000-0000"),
        lambda d: d["declared_totals"][0].update(label="고정형 전체"),
    ],
    ids=["group-field", "last-group-location", "institution", "after-the-groups"],
)
def test_only_what_changed_is_rewritten_and_it_reads_as_the_whole_round_trip(edit):
    text = large()
    fresh, exported = _edited(text, edit)
    assert exported is not None
    kept, where = load_yaml(text, "hapseong.yaml")
    assert _spliced(text, kept, where, fresh) == exported  # the splice made it, not the fallback
    assert exported == _round_trip(text, fresh)
    for note in (
        "# 합성 대장",
        "# 첫 묶음 위의 메모",
        "# 2024 추경으로 증설 — 7번 묶음",
        "# 공표 합계",
        "# 이름 메모 3",
    ):
        assert note in exported
    unchanged = [
        g for g in range(GROUPS) if fresh["device_groups"][g] == load_yaml(text, "x")[0]["device_groups"][g]
    ]
    assert len(unchanged) >= GROUPS - 1
    for g in unchanged:
        assert _group_block(exported, g) == _group_block(text, g)


def test_groups_added_or_reordered_take_the_whole_round_trip():
    text = large()

    def reorder(d):
        d["device_groups"].reverse()

    fresh, exported = _edited(text, reorder)
    kept, where = load_yaml(text, "hapseong.yaml")
    assert _spliced(text, kept, where, fresh) is None
    assert exported == _round_trip(text, fresh)
