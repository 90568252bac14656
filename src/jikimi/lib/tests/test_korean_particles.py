"""Generated sentences follow the name's last syllable (issue 16, Fidelity: '본 하동군(…)는' is wrong)."""

import pytest

from jikimi.lib.korean import particle, with_particle


@pytest.mark.parametrize(
    ("word", "topic", "subject", "obj", "comitative", "direction"),
    [
        ("하동군", "은", "이", "을", "과", "으로"),
        ("오산시", "는", "가", "를", "와", "로"),
        ("금천구", "는", "가", "를", "와", "로"),
        ("인천광역시", "는", "가", "를", "와", "로"),
        ("서울", "은", "이", "을", "과", "로"),  # ㄹ받침 takes 로
        ("본청", "은", "이", "을", "과", "으로"),
    ],
)
def test_particle_follows_the_final_consonant(word, topic, subject, obj, comitative, direction):
    assert particle(word, "는") == particle(word, "은") == topic
    assert particle(word, "가") == particle(word, "이") == subject
    assert particle(word, "를") == particle(word, "을") == obj
    assert particle(word, "와") == particle(word, "과") == comitative
    assert particle(word, "로") == particle(word, "으로") == direction


def test_a_word_not_ending_in_hangul_gets_both_forms():
    assert with_particle("KT", "는") == "KT은(는)"
    assert particle("", "이") == "이(가)"
    assert particle("CCTV", "로") == "(으)로"
