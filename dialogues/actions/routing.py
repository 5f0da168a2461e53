"""Requests that need a person: take the message and route it to the right department.

The department follows the words too (records, a complaint, a bill) when the classifier only
knew it was not an appointment task; a message that also asks for a task ("... and cancel my
appointment") has the task done next (dialogues/actions/compound.py)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import CARE_QUESTION, take_message_from_dialogue
from assistant.datetimes import parse_date_of_birth
from assistant.datetimes.dob import MONTHS
from assistant.frontdesk.emergency import without_denials
from assistant.frontdesk.insurance import answer_insurance
from assistant.frontdesk.own_visit import own_visit_task, without_visit_times
from assistant.frontdesk.short_answers import (
    folded_text,
    is_emergency,
    mentions_insurance,
    question_topic,
)
from assistant.frontdesk.subject import asks_for_person, red_flag
from assistant.identity.names import REQUEST_WORDS, fold, is_only_a_name
from assistant.messages import LANGUAGES, lexicon
from assistant.routing import department_for
from dialogues.actions.appointments import answers_reminder_with_yes
from dialogues.actions.common import language, request_text, text_of
from dialogues.actions.compound import (
    a_department_intent,
    asks_only_a_referral,
    asks_the_nurse,
    department_request,
    handle_other_parts,
    reason_of_a_booking,
    task_follows,
    task_in,
    words_ask_for,
)
from dialogues.actions.context import conversation_uid, latest_intent, unit_of_work
from dialogues.actions.office import ActionOfficeInfo

# Said when the classifier heard no request at all: still an office question if its words are.
_UNCLEAR = ("nlu_fallback", "out_of_scope", "inform")
_ASKING = re.compile(
    r"\b(question|wondering|wanted to know|want to know|pregunta|queria saber|quiero saber"
    r"|saber si|hay)\b"
)


def asks_the_office(text: str) -> bool:
    """ "oiga una pregunta, hay estacionamiento ahi": an office question said without a question
    mark (a voice transcript has none), by its topic and a word that asks. Not a question for
    the nurse that shares a word ("how many hours between doses?" is no question of hours)."""
    if asks_the_nurse(text):
        return False
    if question_topic(text) == "office":
        return True
    folded = folded_text(text)
    return question_topic(f"{text}?") == "office" and _ASKING.search(folded) is not None


def names_the_office(intent: str | None, text: str) -> bool:
    """A question for the nurse the classifier heard in one about the office as a place ("is it
    suite 200 or 2000? the gps is confusing me"): the desk answers it."""
    if intent != CARE_QUESTION or asks_the_nurse(text):
        return False
    folded = folded_text(text)
    places = (p for lang in LANGUAGES for p in lexicon(lang, "office").get("places") or [])
    return any(re.search(rf"\b{re.escape(p)}\b", folded) for p in places)


def by_words(intent: str | None, text: str) -> str | None:
    """A question for the nurse the classifier heard in a bill, a records request or a complaint
    ("tengo una duda con una factura"): the department its words name, unless they ask the care
    team something too."""
    named = department_request(text)
    if named == "referral_request":  # "did my referral go through?" heard as a refill
        return named
    if (
        named
        and intent != CARE_QUESTION
        and a_department_intent(intent)
        and not words_ask_for(intent, text)
    ):  # "send my records to the new orthopedist" heard as a refill: records
        return named
    if intent == CARE_QUESTION and named in _NOT_CARE and not asks_the_nurse(text):
        return named
    if intent == CARE_QUESTION and named == "prescription_refill":
        folded = folded_text(text)  # "can I get my inhaler refilled?": the refill line
        asked = _ASKS_REFILL.search(folded) and not _CLINICAL.search(folded)
        return named if asked and not asks_the_nurse(text) else intent
    return intent


# A refill asked for in so many words (a medicine only named is a care question's), and what
# makes it a question for the nurse all the same ("should I stop it?", "is that normal?").
_ASKS_REFILL = re.compile(
    r"\b(refill (my|it|them|the|this|that|these|those|please|for)|refilled"
    r"|(get|need|want|request|order|send|call in|put in)( in)? (a |an |my |the )?(\w+ )?refill"
    r"|renew\w* (my|the|it|them|this)|resurt\w*|surtir|(ran|run|running) out|se me acab\w*"
    r"|new prescription|nueva receta)\b"
)
_CLINICAL = re.compile(
    r"\b(should i|is it (ok|okay|safe|normal)|is that (ok|okay|safe|normal)|side effects?|debo"
    r"|es normal|efectos)\b"
)


# Departments whose words outweigh the classifier's nurse question (a medicine asked about is
# a care question: "how often do I take it", "can I take ibuprofen with my meds").
_NOT_CARE = ("billing_question", "request_medical_records", "complaint", "referral_request")


def mentions_a_later_visit(intent: str | None, text: str) -> bool:
    """A question for the nurse that names a visit only as a time ("should I double my dose or
    wait until I see the doctor?"): the nurse's, no booking."""
    if intent != CARE_QUESTION or task_in(text) != "book":
        return False
    return task_in(without_visit_times(text)) is None


def about_own_visit(text: str) -> bool:
    """A question about the patient's own visit or word that they are coming to it (a check or
    a confirmation, by the words), with nothing for a department, the nurse or a person in it:
    the router's, whatever the classifier heard."""
    if task_in(without_visit_times(text)) is not None or own_visit_task(text) is None:
        return False  # (not "... next time I come in": no visit asked for)
    return not (department_request(text) or asks_the_nurse(text) or asks_for_person(text))


def asks_about_insurance(intent: str | None, text: str) -> bool:
    """An insurance question heard as a bill, a care question or not understood ("I wanted to
    see if you take Medicaid"): the receptionist's to answer."""
    named = department_request(text)  # not "my insurance wants a referral", not a bill
    if named not in (None, "billing_question") or intent == "medical_emergency":
        return False
    if intent == CARE_QUESTION and asks_the_nurse(text):
        return False
    heard = intent in ("billing_question", CARE_QUESTION, *_UNCLEAR) and mentions_insurance(text)
    return heard or question_topic(text) == "insurance"


def says_only_who(text: str, tracker: Tracker) -> bool:
    """A bare name or date of birth out of any question ("Maria Lopez", "03/03/1982", said
    after the visit was already confirmed), or a correction of one ("perdón, es 1975"): no
    request, so no message for staff."""
    text = _OWN_SLIP.sub("", text).strip(" ,.!")
    if is_only_a_name(text) or _YEAR.fullmatch(text):
        return True
    words = fold(text).split()
    language = tracker.get_slot("language") or "en"
    return (
        len(words) <= 12
        and not any(w in REQUEST_WORDS - _DATE_GLUE - MONTHS.keys() for w in words)
        and parse_date_of_birth(text, language) is not None
    )


# "Sorry, I meant ...", "perdón me equivoqué, es ...": a slip in one's own details corrected.
_OWN_SLIP = re.compile(
    r"^(?:\W*(?:sorry|oops|my bad|typo|i meant|meant|correction|it'?s|its|is|it was|no"
    r"|perd[oó]n|disculpe?|me equivoqu[eé]|quise decir|ups|es|era|fue)\b)+",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_DATE_GLUE = frozenset({"de", "del", "el", "la", "of", "the", "y", "and"})


# A question asked ("...no chest pain or trouble breathing. keep taking it?", "should I stop
# it"): when its words name no emergency, the nurse line gets it after the 911 line.
_ASKS_SOMETHING = re.compile(
    r"[?¿]|\b(should i|do i|can i|is it|is that|is this|keep taking|stop taking|debo|puedo"
    r"|sigo tomando|dejo de tomar|es normal)\b"
)


class ActionAfterEmergency(Action):
    """After the 911 / 988 line: a message the classifier took for an emergency but whose words
    name none ("I waited 2 hours, I want the office manager", "fever of 38, should I bring
    him in?") still reaches its department or the nurse line, and a visit asked for in the same
    words ("anything soon for a sick visit? my throat is on fire but I'm breathing fine") is
    then booked as asked. A real emergency (its words) gets nothing more: the caller should be
    calling 911."""

    def name(self) -> str:
        return "action_after_emergency"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text, uid = text_of(tracker), conversation_uid(tracker)
        if uid is None or is_emergency(text):
            return []
        # a question whose only red flags are symptoms listed as absent ("no chest pain or
        # trouble breathing. keep taking it?"); any other red flag: the 911 line alone
        calm = red_flag(text) and not red_flag(without_denials(text))
        asks = asks_the_nurse(text) or (calm and _ASKS_SOMETHING.search(text.lower()) is not None)
        intent = department_request(text) or (CARE_QUESTION if asks else None)
        # the visit asked for, once the 911 line was said (not "should I bring him in?": the
        # nurse's question)
        then = [] if intent == CARE_QUESTION else task_follows(tracker)
        if then and (intent is None or reason_of_a_booking(text)):
            return then  # its reason is the visit's: no department's message
        if intent is None:
            return []  # a question for the nurse is not lost either
        reply = take_message_from_dialogue(unit_of_work(), uid, intent)
        if tracker.get_slot("channel") == "voice" and not then:  # the task goes on otherwise
            dispatcher.utter_message(json_message={"handoff": {"reason": intent}})
        else:
            dispatcher.utter_message(text=reply)
        return then


class ActionTakeMessage(Action):
    def name(self) -> str:
        return "action_take_message"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if is_emergency(text_of(tracker)):  # whatever the classifier said: 911 / 988, alone
            dispatcher.utter_message(response="utter_emergency")  # (as after the emergency rule)
            return []
        uid = conversation_uid(tracker)
        if uid is None:
            dispatcher.utter_message(text="Please call our office and a staff member will help.")
            return []
        if answers_reminder_with_yes(dispatcher, tracker):  # "si voy. ¿tengo que ir en ayunas?"
            return []
        text = request_text(tracker)  # "wen is my apt n do i hav to fast": written out
        if about_own_visit(text):  # "which doctor am I seeing next week?" heard as care
            return [FollowupAction("action_route_task")]
        intent = by_words(latest_intent(tracker), text)
        then = (
            []
            if asks_only_a_referral(text) or mentions_a_later_visit(intent, text)
            else (task_follows(tracker))
        )
        if asks_about_insurance(intent, text):  # "do you take Medicaid?": from the plans
            if not then:
                answer = answer_insurance(unit_of_work(), uid, language(tracker), text)
                dispatcher.utter_message(text=answer)
                return []
            intent = None  # its parts are answered below, the insurance one from the plans
        if then and reason_of_a_booking(text):  # "book a visit to go over my results"
            handle_other_parts(dispatcher, tracker, text, offices_only=True)
            return then  # a booking with that reason, not a message for the department
        if then:  # "... and cancel my appointment": the other parts now, the task next
            if intent == CARE_QUESTION and not asks_the_nurse(text):  # "... with the doctor"
                intent = department_request(text) or "front_desk"  # their words, not the nurse
            if department_for(intent) == "front_desk":  # by the words: office, departments
                handle_other_parts(dispatcher, tracker, text)
            else:  # the department the classifier heard, and any office question
                handle_other_parts(dispatcher, tracker, text, offices_only=True)
                reply = take_message_from_dialogue(unit_of_work(), uid, intent)
                dispatcher.utter_message(text=reply)
            return then
        if (intent in _UNCLEAR or names_the_office(intent, text)) and asks_the_office(text):
            # "una pregunta, hay estacionamiento", "is it suite 200 or 2000?"
            return ActionOfficeInfo().run(dispatcher, tracker, domain)
        if says_only_who(said := text_of(tracker), tracker) and (
            intent in _UNCLEAR or parse_date_of_birth(said, language(tracker)) is not None
        ):  # who they are (with their birth date, whatever was heard): no request to act on
            dispatcher.utter_message(response="utter_what_else")
            return []
        if department_for(intent) == "front_desk":  # the classifier knew no department
            intent = department_request(text) or (CARE_QUESTION if asks_the_nurse(text) else intent)
        reply = take_message_from_dialogue(unit_of_work(), uid, intent)
        if tracker.get_slot("channel") == "voice":
            # On a call the edge turns this into a transfer (or a voicemail for the task).
            dispatcher.utter_message(json_message={"handoff": {"reason": intent}})
            return []
        dispatcher.utter_message(text=reply)
        return []
