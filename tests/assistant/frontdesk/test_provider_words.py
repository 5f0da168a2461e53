"""Who a reply asks for: a provider by name, or back to the first one (issue "conversations
that recover", class 1)."""

from __future__ import annotations

import pytest

from assistant.frontdesk.provider_words import (
    FIRST,
    back_to_first,
    last_mention,
    names_provider,
    without_providers,
)

NAMES = {1: ["chen"], 2: ["okafor"], 3: ["park"]}


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("could I see Dr. Okafor instead?", 2),
        ("actually no, keep me with Dr. Chen", 1),
        ("hmm on second thought the first doctor is fine", FIRST),
        ("never mind him, my usual doctor is fine", FIRST),
        ("you know what scratch that i'll stay with my regular doctor", FIRST),
        ("no wait go back to the original doctor please", FIRST),
        ("mejor con la doctora de antes", FIRST),
        ("no, mejor me quedo con mi doctora de siempre", FIRST),
        ("no pues mejor con la primera doctora la de antes", FIRST),
        ("ay no mejor me quedo con la doctora chen", 1),
        ("se puede con la enfermera park", 3),
        ("not Dr. Okafor, Dr. Chen please", 1),
        ("Dr. Okafor, not Dr. Chen", 2),
        ("no keep me with my doctor", FIRST),
        # said after an earlier wish: the last one wins
        ("next week with dr okafor. never mind him, my usual doctor is fine", FIRST),
        ("tiene algo el doctor okafor, no pues mejor con la primera doctora la de antes", FIRST),
    ],
)
def test_the_provider_pointed_at_last(said, who):
    assert names_provider(said)
    assert last_mention(said, NAMES) == who


@pytest.mark.parametrize(
    "said", ["the first one", "la primera", "la de antes", "the earlier one", "next week"]
)
def test_a_choice_or_a_time_asks_for_no_provider(said):
    assert not names_provider(said)
    assert not back_to_first(said)
    assert last_mention(said, NAMES) is None


def test_providers_are_no_questions_about_parking_nor_people():
    assert without_providers("is Dr Park free then instead?") == "is free then instead"
    assert without_providers("i want doctor okafor") == "i want"
    assert without_providers("can I talk to the doctor") == "can i talk to the doctor"
