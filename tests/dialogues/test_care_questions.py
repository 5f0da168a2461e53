"""Questions for the care team (issue #16, class 6) that the classifier heard as a booking: the
router's word rules send them to the nurse line as a message (the patient told when a nurse will
answer, and to call 911 if it gets worse), while a booking that only mentions a past visit, or a
sick visit asked for in Spanish by voice, is booked. What is said and what the database holds;
the wordings are not in the training data."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from assistant.db.models import Conversation
from assistant.frontdesk.short_answers import is_emergency
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.compound import asks_the_nurse, department_request
from dialogues.actions.router import ActionRouteTask
from dialogues.actions.routing import ActionTakeMessage
from tests.factories.dialogues import conversation, run, slots_of, staff_departments, tracker


def spoken_in(url: str, uid: str, lang: str) -> None:
    """The conversation's language, as the edge records it (the reply is in it)."""
    with UnitOfWork(url) as uow:
        found = Conversation.uid == uid
        uow.session.execute(update(Conversation).where(found).values(language=lang))
        uow.commit()


CARE_IN_BOOKING_WORDS = [
    # a visit already had, and nothing new asked for: the question about it comes next
    ("Hi, this is Paula and I had an appointment with Dr. Brooks.", "en", "sms"),
    ("I was seen by Dr Hale on Monday", "en", "sms"),
    ("um yeah we had an appointment with the pediatrician yesterday", "en", "voice"),
    ("tuve cita con el doctor ayer", "es", "sms"),
    ("eh si fui al doctor el lunes", "es", "voice"),
    # what the doctor said, how to use a medicine, doing it right
    ("remind me what dr lopez told me", "en", "sms"),
    ("can you tell me what the doctor said about my diet", "en", "sms"),
    ("i think i'm taking my pills wrong", "en", "voice"),
    ("how often do i put the cream on", "en", "sms"),
    ("how many drops am i supposed to use", "en", "voice"),
    ("I just want to be sure I'm doing it right", "en", "sms"),
    ("cada cuanto me pongo la pomada", "es", "sms"),
    ("oiga cuantas veces me tomo el jarabe", "es", "voice"),
    # how far apart the doses go, a message for the doctor with no visit asked for
    ("how long do i wait between the allergy pills", "en", "sms"),
    ("um i need to get word to dr ortiz about my knee", "en", "voice"),
    ("quiero dejar un mensaje para mi doctora", "es", "sms"),
    ("I need to get in touch with Dr. Ortiz", "en", "sms"),
    ("hi so i wanted to go over what my doctor said on monday", "en", "voice"),
    ("quiero repasar lo que me explico la doctora", "es", "sms"),
    # asking for the doctor: the care team takes it (no doctor is put through)
    ("could I speak with Dr. Okafor please", "en", "sms"),
    ("um can the doctor call me back about my knee", "en", "voice"),
    ("I need to get in contact with Dr Hale", "en", "sms"),
    ("quiero hablar con mi doctora", "es", "sms"),
    # the follow-up is about the visit already had, not a new one
    ("I just finished my appointment with Dr. Brooks. I'd like a followup please.", "en", "sms"),
    # the care itself: orders, going over the treatment, checking in after the visit
    ("what did dr hale recommend for the swelling", "en", "sms"),
    ("I want to go over my treatment plan", "en", "voice"),
    ("checking in about my procedure last week", "en", "sms"),
    ("the pills aren't helping", "en", "sms"),
]


@pytest.mark.parametrize(("said", "lang", "channel"), CARE_IN_BOOKING_WORDS)
def test_a_care_question_heard_as_a_booking_goes_to_the_nurse_line(
    demo, sqlite_url, said, lang, channel
):
    phone = demo.english_demo.phone if lang == "en" else demo.spanish_demo.phone
    uid = conversation(sqlite_url, demo.practice_id, phone, channel=channel)
    spoken_in(sqlite_url, uid, lang)
    track = tracker(
        uid, text=said, intent="book_appointment", slots={"language": lang, "channel": channel}
    )
    events, messages = run(ActionRouteTask(), track)
    assert slots_of(events)["flow"] == "done"  # no booking started
    assert staff_departments(sqlite_url, uid) == ["nurse_line"]
    assert "911" in messages[0]["text"]  # when a nurse answers, and what to do if it is urgent
    assert ("nurse" if lang == "en" else "enfermera") in messages[0]["text"]


BOOKINGS_AFTER_A_VISIT = [
    "I had an appointment last month and need another one",
    "I saw dr kim last year and want to come back",
    "I missed my appointment with Dr Lee, can I get a new one",
    "I had surgery in may and need my post op visit",
    "i went to the doctor last week and they want me back in two weeks",
    "I saw Dr Park before, can I see her again Thursday",
    "tuve cita pero falte, necesito otra",
    "I saw dr kim last week and need to schedule a follow up appointment",
    "I'd like to talk to Dr. Brooks on Thursday morning",
    "can I speak with the doctor over video next week",
]


BOOKINGS_IN_CARE_WORDS = [
    "book me with dr lee on friday and let the doctor know it's about my knee",
    "I want to schedule a physical, can you leave a note for the doctor that I'm fasting",
    "how long between appointments do I have to wait for a second opinion visit",
    "I'm doing what my doctor said and need to come back in a month",
    "hice lo que me dijo el doctor y quiero otra cita",
]


@pytest.mark.parametrize("said", BOOKINGS_IN_CARE_WORDS)
def test_a_booking_that_names_the_doctors_word_is_a_booking(said):
    assert not asks_the_nurse(said)


# Medicine questions that share a word with an office question (hours, directions).
MEDICINE_IN_OFFICE_WORDS = [
    ("How many hours between doses?", "sms"),
    ("how far apart do i take the antibiotics?", "sms"),
    ("uh how long do i have to wait between the two inhalers", "voice"),
    ("what are the directions for the cream?", "sms"),
]


# How to take a medicine said with a medicine word: the nurse, not the refill line (unless a
# refill is asked for).
MEDICINE_QUESTIONS_NOT_REFILLS = [
    ("I need someone to explain my medication schedule to me again", "request_human"),
    ("can you help me understand my prescription", "nlu_fallback"),
]


@pytest.mark.parametrize(("said", "heard"), MEDICINE_QUESTIONS_NOT_REFILLS)
def test_how_to_take_a_medicine_goes_to_the_nurse_not_the_refill_line(
    demo, sqlite_url, said, heard
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    _, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent=heard))
    assert staff_departments(sqlite_url, uid) == ["nurse_line"]
    assert "nurse" in messages[0]["text"]


def test_a_refill_asked_with_a_nurse_question_is_a_refill():
    assert department_request("I ran out of my medication, can the nurse call me") == (
        "prescription_refill"
    )


@pytest.mark.parametrize(("said", "channel"), MEDICINE_IN_OFFICE_WORDS)
def test_a_medicine_question_the_classifier_missed_goes_to_the_nurse_not_the_office(
    demo, sqlite_url, said, channel
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel=channel)
    track = tracker(uid, text=said, intent="out_of_scope", slots={"channel": channel})
    _, messages = run(ActionTakeMessage(), track)
    assert all(m.get("response") != "utter_office_info" for m in messages)
    assert staff_departments(sqlite_url, uid) == ["nurse_line"]


@pytest.mark.parametrize("said", BOOKINGS_AFTER_A_VISIT)
def test_a_booking_that_mentions_a_past_visit_is_a_booking(demo, sqlite_url, said):
    assert not asks_the_nurse(said)
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent="book_appointment"))
    assert slots_of(events)["task"] == "book"
    assert slots_of(events).get("flow") != "done"
    assert staff_departments(sqlite_url, uid) == []


SICK_VISITS_ES_VOICE = [
    "me siento muy mal, necesito ver al doctor hoy o mañana, tengo fiebre y tos",
    "hola buenas, ando muy enfermo con calentura y tos, quiero que me vea un doctor",
    "necesito una consulta para hoy o mañana porque me duele mucho la garganta y tengo fiebre",
    "eh si me siento bien mal desde ayer con tos y fiebre, me pueden dar cita",
    "este, tengo gripa y fiebre desde el sabado, quiero que me vea la doctora mañana",
]


@pytest.mark.parametrize("said", SICK_VISITS_ES_VOICE)
def test_a_sick_visit_asked_in_spanish_by_voice_starts_a_booking(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.spanish_demo.phone, channel="voice")
    track = tracker(
        uid, text=said, intent="book_appointment", slots={"language": "es", "channel": "voice"}
    )
    events, messages = run(ActionRouteTask(), track)
    assert slots_of(events)["task"] == "book"
    assert slots_of(events)["flow"] in ("identify", "book")  # who first, then the times
    assert not any(m.get("response") == "utter_emergency" for m in messages)
    assert staff_departments(sqlite_url, uid) == []  # not dropped to staff


@pytest.mark.parametrize(
    ("said", "emergency"),
    [
        ("i'm pretty sure i took too much of my medication this morning", True),
        ("my grandpa swallowed too many pills", True),
        ("creo que me tome demasiadas pastillas", True),
        ("i took my pill three hours late, is that ok", False),
        ("how much of my medicine do i take at night", False),
        ("no se si ya me tome la pastilla de hoy", False),
        ("I took my pills late today, is that ok", False),
    ],
)
def test_too_much_medicine_is_an_emergency_by_its_words(said, emergency):
    """Whatever the classifier makes of it (it sits close to questions about doses)."""
    assert is_emergency(said) is emergency
