"""Korean particles chosen by the word they follow: 하동군은 / 오산시는, 금천구가 / 하동군이.

A generated sentence names the institution (or a device, a place) and must read as Korean: the
particle depends on whether the word's last syllable has a final consonant (받침). 으로/로 is the one
exception: a word ending in ㄹ takes 로 (서울로), like a word without 받침. When the word does not end
with a Hangul syllable (a Latin abbreviation, a digit, nothing) the two forms are written together,
은(는), as Korean official writing does when it cannot know.
"""

from __future__ import annotations

# (after 받침, without 받침)
PAIRS: dict[str, tuple[str, str]] = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
}
FIRST_SYLLABLE = 0xAC00  # 가
LAST_SYLLABLE = 0xD7A3  # 힣
FINALS = 28  # 받침 slots per syllable (0 = none)
RIEUL = 8  # ㄹ as a final consonant


def final_consonant(word: str) -> int | None:
    """The index (1..27) of the last syllable's 받침, 0 when it has none, None when not Hangul."""
    last = word.rstrip()[-1:]
    if not last or not FIRST_SYLLABLE <= ord(last) <= LAST_SYLLABLE:
        return None
    return (ord(last) - FIRST_SYLLABLE) % FINALS


def particle(word: str, which: str) -> str:
    """The particle `which` (은, 는, 이, 가, 을, 를, 과, 와, 으로, 로 — either form) fitting `word`."""
    after_final, without = PAIRS[which]
    final = final_consonant(word)
    if final is None:
        return f"{after_final}({without})" if which not in ("으로", "로") else "(으)로"
    if which in ("으로", "로") and final == RIEUL:
        return without
    return after_final if final else without


def with_particle(word: str, which: str) -> str:
    """The word followed by its particle: with_particle('하동군', '는') == '하동군은'."""
    return f"{word}{particle(word, which)}"
