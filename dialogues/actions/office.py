"""Office information (hours, addresses, parking): answered at any point, also inside a form."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import take_message_from_dialogue
from assistant.frontdesk.service import office_info_for
from dialogues.actions.common import language
from dialogues.actions.context import conversation_uid, latest_intent, settings


class ActionOfficeInfo(Action):
    def name(self) -> str:
        return "action_office_info"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        uid = conversation_uid(tracker)
        info = office_info_for(settings().database_url, uid, language(tracker))
        if info:
            dispatcher.utter_message(response="utter_office_info", info=info)
        elif uid:
            reply = take_message_from_dialogue(settings().database_url, uid, latest_intent(tracker))
            dispatcher.utter_message(text=reply)
        return []
