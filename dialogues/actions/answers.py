"""An answer to the form's own question fills its slot, whatever the classifier says.

The slots of the forms are filled from the text (`from_text`, no `not_intent`); before the
form's validation runs, `digression` asks `assistant.frontdesk.subject` whether the reply is a
real change of subject (an emergency, asking for a person, an office question). Only then is
the slot emptied and the form rejected, so that the digression rules of
dialogues/data/rules.yml take over; otherwise the reply is validated as the answer.
"""

from __future__ import annotations

from rasa_sdk import Tracker

from assistant.frontdesk.subject import EXPECTING, change_of_subject
from dialogues.actions.common import text_of
from dialogues.actions.context import latest_intent


def digression(tracker: Tracker) -> str | None:
    """The requested slot when this turn's reply changes the subject instead of answering it."""
    requested = tracker.get_slot("requested_slot")
    if not requested or requested not in tracker.slots_to_validate():
        return None
    said = text_of(tracker)
    if str(tracker.get_slot(requested) or "") != said:
        return None  # filled by something else than this reply's text
    kind = change_of_subject(said, latest_intent(tracker), EXPECTING.get(requested, "free"))
    return requested if kind else None
