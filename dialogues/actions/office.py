"""Office information (hours, addresses, parking): answered at any point, also inside a form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import take_message_from_dialogue
from assistant.frontdesk.service import office_info_for
from assistant.frontdesk.short_answers import question_topic
from dialogues.actions.appointments import answers_reminder_with_yes
from dialogues.actions.common import language, request_text
from dialogues.actions.compound import department_request, task_follows
from dialogues.actions.context import (
    conversation_uid,
    latest_intent,
    metadata,
    unit_of_work,
)


def now_of(tracker: Tracker) -> datetime | None:
    """The edge's `now` in the message metadata (tests, replays); None: the clock's."""
    said = metadata(tracker).get("now")
    try:
        parsed = datetime.fromisoformat(str(said).replace("Z", "+00:00")) if said else None
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


class ActionOfficeInfo(Action):
    def name(self) -> str:
        return "action_office_info"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if answers_reminder_with_yes(dispatcher, tracker):  # "yep, will be there. parking?"
            return []
        said = request_text(tracker)
        office_words = question_topic(said) or question_topic(f"{said}?")  # none at all
        if not tracker.active_loop_name and department_request(said) and not office_words:
            # "I need my records sent to the new orthopedist's office" heard as an office
            # question: a message for that department, no office recital
            return [FollowupAction("action_take_message")]
        uid = conversation_uid(tracker)
        info = office_info_for(
            unit_of_work(),
            uid,
            language(tracker),
            question=request_text(tracker),
            now=now_of(tracker),
        )
        if info:
            dispatcher.utter_message(response="utter_office_info", info=info)
        elif uid:
            reply = take_message_from_dialogue(unit_of_work(), uid, latest_intent(tracker))
            dispatcher.utter_message(text=reply)
        return task_follows(tracker)  # "... and move my appointment to Monday": that next
