"""Sentence boundaries in several scripts (lang.sentences); every sentence was written for these tests."""

from __future__ import annotations

import pytest

from newsgraph.lang.sentences import ends_sentence, first_sentence, is_single_sentence


@pytest.mark.parametrize("text, first", [
    ("The U.S. Navy sent two ships. They arrive on Friday.", "The U.S. Navy sent two ships."),
    ("Mr. Ono met Dr. Sato at No. 3 pier. Both spoke.", "Mr. Ono met Dr. Sato at No. 3 pier."),
    ('The admiral said: "we are ready." The crew cheered.', 'The admiral said: "we are ready."'),
    ("La nave è partita. «Torneremo presto», ha detto il comandante.", "La nave è partita."),
    ("Корабль вышел из порта. Он вернётся весной.", "Корабль вышел из порта."),
    ("護衛艦が入港した。乗組員は二百人だ。", "護衛艦が入港した。"),
    ("艦長は「全員が無事だ。」と述べた。次は秋だ。", "艦長は「全員が無事だ。」と述べた。"),
    ("军舰周二抵达港口！双方将举行训练。", "军舰周二抵达港口！"),
    ("जहाज़ बंदरगाह पहुँचा। दल ने स्वागत किया।", "जहाज़ बंदरगाह पहुँचा।"),
    ("هل وصلت السفينة؟ قال المتحدث إنها وصلت.", "هل وصلت السفينة؟"),
])
def test_first_sentence_in_several_scripts(text, first):
    assert first_sentence(text) == first
    assert not is_single_sentence(text)
    assert is_single_sentence(first)


def test_a_sentence_ends_with_its_mark_and_closing_quotes():
    assert ends_sentence("護衛艦が入港した。") and ends_sentence("「戻った。」")
    assert ends_sentence('He left.') and ends_sentence('He said "no."') and ends_sentence("Wait…")
    assert not ends_sentence("護衛艦が入港した") and not ends_sentence("He left") and not ends_sentence("")
