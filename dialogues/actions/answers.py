"""An answer to the form's own question fills its slot, whatever the classifier says.

The slots of the forms are filled from the text (`from_text`, no `not_intent`); before the
form's validation runs, `AnswersFirst` asks `assistant.frontdesk.subject` whether the reply is a
real change of subject (an emergency, asking for a person, an office question). Only then is
the slot emptied and the form rejected, so that the digression rules of
dialogues/data/rules.yml take over; otherwise the reply is validated as the answer.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

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


class AnswersFirst:
    """Mixin for a `FormValidationAction` (put it first among the bases)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = digression(tracker)
        if requested is not None:
            form: Any = self
            return [SlotSet(requested, None), ActionExecutionRejected(form.form_name())]
        return await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
