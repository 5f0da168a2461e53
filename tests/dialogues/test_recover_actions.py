"""Recovering conversations (issue #17): confirming without a reminder, strict read-backs,
repair inside forms, move vs book, the right provider, emergencies whatever the classifier said.

What the patient is told and what the database holds; nothing changes without an unambiguous
yes to a read-back naming the exact time and provider, and nothing is disclosed before
verification.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from assistant.actor import Actor
from assistant.db.models import (
    Appointment,
    OutboundMessage,
    Provider,
    ProviderSchedule,
    StaffTask,
)
from assistant.frontdesk import booking
from assistant.frontdesk import service as frontdesk
from assistant.frontdesk.short_answers import (
    asks_to_move,
    direction,
    is_emergency,
    question_topic,
    stops,
    strict_no,
    strict_yes,
)
from assistant.scheduling import operations
from assistant.scheduling.securing import SlotRequest
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.book import ValidateBookForm
from dialogues.actions.cancel import ValidateCancelForm, ValidateConfirmForm
from dialogues.actions.identity import ValidateIdentityForm
from dialogues.actions.reschedule import ValidateRescheduleForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import (
    conversation,
    offer_times,
    run,
    slots_of,
    tracker,
    verify_identity,
)


def _responses(messages):
    return [m.get("response") for m in messages]


def _forget_reminders(url: str) -> None:
    with UnitOfWork(url) as uow:
        for message in uow.session.execute(select(OutboundMessage)).scalars():
            uow.session.delete(message)
        uow.commit()


def _status(url: str, appointment_id: int) -> str:
    with UnitOfWork(url) as uow:
        return uow.session.get(Appointment, appointment_id).status


def _second_visit(url: str, appointment_id: int) -> int:
    with UnitOfWork(url) as uow:
        like = uow.session.get(Appointment, appointment_id)
        for days in range(7, 21):
            start = like.starts_at + timedelta(days=days)
            try:
                with uow.session.begin_nested():
                    made = operations.book(
                        uow.session,
                        SlotRequest(like.patient_id, like.provider_id, like.location_id,
                                    like.appointment_type_id, start),
                        actor=Actor("staff:1", "console"), enforce_rules=False,
                    )  # fmt: skip
            except Exception:  # noqa: BLE001 - taken: the next day
                continue
            uow.commit()
            return made.id
    raise AssertionError("no free time")


# --- 1. Confirming without a reminder ----------------------------------------------------------


@pytest.mark.parametrize("channel", ["sms", "voice"])
def test_cold_confirm_verifies_first_then_confirms_the_next_visit(demo, sqlite_url, channel):
    maria = demo.english_demo
    _forget_reminders(sqlite_url)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone, channel=channel)
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, text="1", intent="confirm_appointment", slots={"channel": channel}),
    )
    assert slots_of(events)["flow"] == "identify" and slots_of(events)["task"] == "confirm"
    assert messages == []  # nothing disclosed, nothing confirmed before verification
    assert _status(sqlite_url, maria.appointment_id) == "booked"
    verify_identity(uid)
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={"task": "confirm", "channel": channel}, latest_action="identity_form"),
    )
    assert slots_of(events)["flow"] == "done"
    said = messages[0]
    assert said["response"] == "utter_confirmed_appointment"
    assert maria.provider_name in said["appointment"] and "10" in said["appointment"]
    assert _status(sqlite_url, maria.appointment_id) == "confirmed"
    menu = [m for m in messages if (m.get("custom") or {}).get("keypad_menu")]
    assert len(menu) == (1 if channel == "voice" else 0)  # a call: the keypad menu again
    # asked again: already confirmed, said so
    _, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={"task": "confirm", "channel": channel}, latest_action="identity_form"),
    )
    assert messages[0]["response"] == "utter_was_already_confirmed"


def test_a_reminders_answer_is_confirmed_without_verification(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    events, messages = run(
        ActionRouteTask(), tracker(uid, text="yes I'll be there", intent="confirm_appointment")
    )
    assert slots_of(events)["flow"] == "done"
    assert _responses(messages) == ["utter_appointment_confirmed"]
    assert _status(sqlite_url, maria.appointment_id) == "confirmed"


def test_cold_confirm_with_two_visits_asks_which(demo, sqlite_url):
    maria = demo.english_demo
    _forget_reminders(sqlite_url)
    second = _second_visit(sqlite_url, maria.appointment_id)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, messages = run(
        ActionRouteTask(), tracker(uid, text="confirm my appt", intent="confirm_appointment")
    )
    assert slots_of(events)["flow"] == "confirm" and messages == []
    events, _ = run(
        ValidateConfirmForm(),
        tracker(
            uid,
            text="the second one",
            slots={"task": "confirm", "appointment_choice": "the second one",
                   "requested_slot": "appointment_choice"},
            active_loop="confirm_form",
        ),
    )  # fmt: skip
    assert slots_of(events)["appointment_id"] == second
    _, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={"task": "confirm", "appointment_id": second},
                latest_action="confirm_form"),
    )  # fmt: skip
    assert messages[0]["response"] == "utter_confirmed_appointment"
    assert _status(sqlite_url, second) == "confirmed"
    assert _status(sqlite_url, maria.appointment_id) == "booked"


def test_cold_confirm_with_no_visit_says_so(demo, sqlite_url):
    maria = demo.english_demo
    _forget_reminders(sqlite_url)
    with UnitOfWork(sqlite_url) as uow:
        uow.session.get(Appointment, maria.appointment_id).status = "cancelled"
        uow.commit()
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, messages = run(ActionRouteTask(), tracker(uid, intent="confirm_appointment"))
    assert _responses(messages) == ["utter_no_upcoming_appointments"]
    assert slots_of(events)["flow"] == "done"


# --- 2. Strict read-backs ----------------------------------------------------------------------


def _readback(uid, appointment_id, options, chosen, text, intent="inform"):
    return run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text=text,
            intent=intent,
            slots={"appointment_id": appointment_id, "task": "reschedule",
                   "time_preference": "asap", "offered_options": options,
                   "slot_choice": "x", "chosen_option": chosen, "reschedule_confirm": text,
                   "requested_slot": "reschedule_confirm"},
            active_loop="reschedule_form",
        ),
    )  # fmt: skip


@pytest.fixture
def at_readback(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    options = offer_times(uid, maria.appointment_id)
    assert len(options) == 3
    return uid, maria, options


def test_parking_question_at_the_readback_is_answered_and_nothing_changes(at_readback, sqlite_url):
    uid, maria, options = at_readback
    events, messages = _readback(uid, maria.appointment_id, options, options[2],
                                 "is there parking at the clinic?")  # fmt: skip
    slots = slots_of(events)
    assert slots["requested_slot"] == "reschedule_confirm"  # the read-back is repeated
    assert slots["reschedule_confirm"] is None
    assert "parking" in messages[0]["info"].lower() or "lot" in messages[0]["info"].lower()
    assert _status(sqlite_url, maria.appointment_id) == "booked"


def test_another_choice_at_the_readback_is_read_back_not_booked(at_readback, sqlite_url):
    """The incident: read-back named option 3, "ok I'll take the first one" booked option 3."""
    uid, maria, options = at_readback
    events, messages = _readback(uid, maria.appointment_id, options, options[2],
                                 "ok I'll take the first one", intent="affirm")  # fmt: skip
    slots = slots_of(events)
    assert slots["chosen_option"] == options[0] and slots["reschedule_confirm"] is None
    assert slots["requested_slot"] == "reschedule_confirm"
    assert _status(sqlite_url, maria.appointment_id) == "booked"
    events, messages = _readback(uid, maria.appointment_id, options, options[0], "yes", "affirm")
    assert slots_of(events)["reschedule_confirm"] == "yes" and messages == []
    assert _status(sqlite_url, maria.appointment_id) == "booked"  # the form only decided
    _, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={"appointment_id": maria.appointment_id, "task": "reschedule",
                            "chosen_option": options[0], "reschedule_confirm": "yes"},
                latest_action="reschedule_form"),
    )  # fmt: skip
    assert messages[0]["response"] == "utter_rescheduled"
    with UnitOfWork(sqlite_url) as uow:
        old = uow.session.get(Appointment, maria.appointment_id)
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        assert new.starts_at.isoformat() == options[0]["starts_at"]


@pytest.mark.parametrize(
    "said", ["ok but what about the afternoon", "ok but", "hmm", "ok wait", "sure but later"]
)
def test_a_hedged_answer_is_not_a_yes(at_readback, sqlite_url, said):
    uid, maria, options = at_readback
    _readback(uid, maria.appointment_id, options, options[1], said, intent="affirm")
    assert _status(sqlite_url, maria.appointment_id) == "booked"


def test_the_later_one_at_the_readback(at_readback, sqlite_url):
    uid, maria, options = at_readback
    events, _ = _readback(uid, maria.appointment_id, options, options[0],
                          "no, not that one, the later one")  # fmt: skip
    assert slots_of(events)["chosen_option"] == options[1]


def test_no_at_the_readback_offers_the_times_again(at_readback, sqlite_url):
    uid, maria, options = at_readback
    events, messages = _readback(uid, maria.appointment_id, options, options[0], "no", "deny")
    slots = slots_of(events)
    assert slots["requested_slot"] == "slot_choice" and slots["chosen_option"] is None
    assert _status(sqlite_url, maria.appointment_id) == "booked"


def test_cancel_readback_needs_an_unambiguous_yes(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, messages = run(
        ValidateCancelForm(),
        tracker(
            uid,
            text="ok but can I still come next week?",
            intent="affirm",
            slots={"appointment_id": maria.appointment_id, "task": "cancel",
                   "cancel_confirm": "ok but can I still come next week?",
                   "requested_slot": "cancel_confirm"},
            active_loop="cancel_form",
        ),
    )  # fmt: skip
    assert slots_of(events)["cancel_confirm"] is None
    assert _status(sqlite_url, maria.appointment_id) == "booked"


# --- 3. Repair inside forms --------------------------------------------------------------------


@pytest.mark.parametrize("said", ["never mind", "forget it", "olvídelo"])
def test_never_mind_stops_with_nothing_changed(at_readback, sqlite_url, said):
    uid, maria, options = at_readback
    events, messages = _readback(uid, maria.appointment_id, options, options[0], said)
    slots = slots_of(events)
    assert slots["task_stopped"] == "stopped" and slots["requested_slot"] is None
    assert _responses(messages) == ["utter_nothing_changed"]
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={"task": "reschedule", "task_stopped": "stopped"},
                latest_action="reschedule_form"),
    )  # fmt: skip
    assert slots_of(events)["flow"] == "done" and messages == []
    assert _status(sqlite_url, maria.appointment_id) == "booked"


def test_actually_the_afternoon_while_choosing_searches_again(at_readback, sqlite_url):
    uid, maria, options = at_readback
    events, _ = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text="actually make it the afternoon",
            slots={"appointment_id": maria.appointment_id, "task": "reschedule",
                   "time_preference": "asap", "offered_options": options,
                   "slot_choice": "actually make it the afternoon",
                   "requested_slot": "slot_choice"},
            active_loop="reschedule_form",
        ),
    )  # fmt: skip
    fresh = slots_of(events)["offered_options"]
    assert fresh and all(int(o["hour"]) >= 12 for o in fresh)


def test_two_misunderstandings_offer_a_person_and_a_third_hands_off(at_readback, sqlite_url):
    uid, maria, options = at_readback

    def choose(said, misunderstood):
        return run(
            ValidateRescheduleForm(),
            tracker(
                uid,
                text=said,
                slots={"appointment_id": maria.appointment_id, "task": "reschedule",
                       "time_preference": "asap", "offered_options": options,
                       "slot_choice": said, "requested_slot": "slot_choice",
                       "misunderstood": misunderstood},
                active_loop="reschedule_form",
            ),
        )  # fmt: skip

    events, messages = choose("purple elephants", None)
    assert slots_of(events)["misunderstood"] == 1
    events, messages = choose("banana", 1)
    assert "utter_offer_person" in _responses(messages)
    events, messages = choose("person", 2)  # took the offer
    assert slots_of(events)["task_stopped"] == "staff"
    events, messages = choose("blah", 2)
    assert slots_of(events)["task_stopped"] == "staff"
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.execute(select(StaffTask)).scalars().all()


# --- 6. Rules that hold whatever the classifier says -------------------------------------------


@pytest.mark.parametrize(
    "said", ["my husband just collapsed and isn't breathing", "tengo dolor en el pecho"]
)
def test_an_emergency_at_the_readback_gets_911_and_changes_nothing(at_readback, sqlite_url, said):
    uid, maria, options = at_readback
    events, messages = _readback(uid, maria.appointment_id, options, options[0], said, "affirm")
    assert _responses(messages) == ["utter_emergency"]
    assert slots_of(events)["task_stopped"] == "emergency"
    assert _status(sqlite_url, maria.appointment_id) == "booked"


def test_an_emergency_while_verifying_gets_911(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(
        ValidateIdentityForm(),
        tracker(
            uid,
            text="I'm having chest pain and can't breathe",
            intent="inform",
            slots={"patient_name": "I'm having chest pain and can't breathe",
                   "requested_slot": "patient_name"},
            latest_action="identity_form",
            active_loop="identity_form",
        ),
    )  # fmt: skip
    assert _responses(messages) == ["utter_emergency"]
    assert slots_of(events)["requested_slot"] is None


def test_a_move_asked_as_later_is_never_earlier(at_readback, sqlite_url):
    uid, maria, _ = at_readback
    result = frontdesk.options_for(
        UnitOfWork(sqlite_url), uid, maria.appointment_id, "as soon as possible", "en", "sms",
        direction="later",
    )  # fmt: skip
    assert result.options
    assert all(o.starts_at > maria.appointment_starts_at for o in result.options)
    result = frontdesk.options_for(
        UnitOfWork(sqlite_url), uid, maria.appointment_id, "as soon as possible", "en", "sms",
        direction="earlier",
    )  # fmt: skip
    assert all(o.starts_at < maria.appointment_starts_at for o in result.options)


# --- 4 and 5. Move vs book; the right provider --------------------------------------------------


def test_a_move_asked_in_booking_words_is_a_reschedule(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, text="can I push back my appointment", intent="book_appointment"),
    )
    slots = slots_of(events)
    assert slots["task"] == "reschedule" and slots["flow"] == "reschedule"
    assert slots["move_direction"] == "later"


def test_a_type_not_offered_is_explained_not_asked_again(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    verify_identity(uid)
    with UnitOfWork(sqlite_url) as uow:  # her follow-up cancelled, never seen: no follow-up
        uow.session.get(Appointment, demo.english_demo.appointment_id).status = "cancelled"
        uow.commit()
    _, messages = run(
        ValidateBookForm(),
        tracker(
            uid,
            text="a follow up",
            slots={"verified": True, "task": "book", "book_type_choice": "a follow up",
                   "requested_slot": "book_type_choice"},
            active_loop="book_form",
        ),
    )  # fmt: skip
    assert _responses(messages) == ["utter_type_needs_first_visit"]


def test_a_check_up_is_not_booked_in_dermatology(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550188")
    types = {t["code"]: t for t in booking.types_for(UnitOfWork(sqlite_url), uid, "en")}
    new_visit = types["new_patient"]["id"]
    seen = booking.providers_for(UnitOfWork(sqlite_url), uid, new_visit, "check-up")
    with UnitOfWork(sqlite_url) as uow:
        specialties = {uow.session.get(Provider, p["id"]).specialty for p in seen}
    assert specialties == {"Family Medicine"}
    result = booking.options_for(
        UnitOfWork(sqlite_url), uid, new_visit, None, "as soon as possible", "en", "sms",
        new_patient=True, reason="check-up",
    )  # fmt: skip
    assert result.options
    with UnitOfWork(sqlite_url) as uow:
        for option in result.options:
            provider = uow.session.get(Provider, option.provider_id)
            assert provider.specialty == "Family Medicine"


def test_a_colleague_of_the_same_specialty_when_the_provider_has_nothing(at_readback, sqlite_url):
    uid, maria, _ = at_readback
    with UnitOfWork(sqlite_url) as uow:  # Dr. Chen away for the coming weeks
        chen_id = uow.session.get(Appointment, maria.appointment_id).provider_id
        uow.session.execute(delete(ProviderSchedule).where(ProviderSchedule.provider_id == chen_id))
        uow.commit()
    result = frontdesk.options_for(UnitOfWork(sqlite_url), uid, maria.appointment_id,
                                   "as soon as possible", "en", "sms")  # fmt: skip
    assert result.options
    assert result.options[0].instead_of == maria.provider_name
    with UnitOfWork(sqlite_url) as uow:
        for option in result.options:
            provider = uow.session.get(Provider, option.provider_id)
            assert provider.id != chen_id and provider.specialty == "Family Medicine"
            assert provider.display_name in option.label  # always saying who


# --- the words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    ["yes", "Yes please", "yep that works", "sí", "correct", "y", "mhm", "uh huh", "ándale"],
)
def test_strict_yes(said):
    assert strict_yes(said)


@pytest.mark.parametrize(
    "said",
    ["ok I'll take the first one", "ok but is there parking?", "yes but later", "no",
     "yes, Thursday", "what time is it?", "sure, the 2 pm", "yes no", "never mind"],
)  # fmt: skip
def test_not_a_strict_yes(said):
    assert not strict_yes(said, "affirm")


def test_words():
    assert strict_no("no") and strict_no("nope, not that") and not strict_no("yes")
    assert stops("never mind") and stops("Olvídelo") and not stops("the first one")
    assert is_emergency("he collapsed") and not is_emergency("the afternoon")
    assert question_topic("is there parking?") == "office"
    assert question_topic("do you take my insurance?") == "insurance"
    assert question_topic("what do I need to bring") == "prep"
    assert question_topic("tuesday afternoon") is None
    assert asks_to_move("can I push back my appointment") and not asks_to_move("book a physical")
    assert direction("push it back") == "later" and direction("anything sooner") == "earlier"


def test_an_emergency_with_a_request_gets_911_before_the_task(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, text="I need to reschedule, I have chest pain and can't breathe",
                intent="reschedule_appointment"),
    )  # fmt: skip
    assert _responses(messages) == ["utter_emergency"]
    assert slots_of(events)["flow"] == "done"


def test_an_emergency_the_classifier_missed_still_gets_911(demo, sqlite_url):
    from dialogues.actions.routing import ActionTakeMessage

    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    _, messages = run(
        ActionTakeMessage(), tracker(uid, text="my wife collapsed", intent="out_of_scope")
    )
    assert _responses(messages)[0] == "utter_emergency"


def test_the_action_server_registers_every_action():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("dialogues.actions")  # an unnamed base class would fail here
    assert {"validate_confirm_form", "validate_reschedule_form"} <= set(executor.actions)


def test_yes_naming_the_time_read_back_is_a_yes(at_readback, sqlite_url):
    uid, maria, options = at_readback
    events, _ = _readback(uid, maria.appointment_id, options, options[0], "yes, the first one")
    assert slots_of(events)["reschedule_confirm"] == "yes"
    events, _ = _readback(uid, maria.appointment_id, options, options[1], "yes, the first one")
    assert slots_of(events)["reschedule_confirm"] is None  # another one: read back first


def test_a_call_verifies_even_with_a_reminder_outstanding(demo, sqlite_url):
    """The caller's number proves nothing: pressing 1 on a call verifies first, although the
    number has an unanswered reminder text (which a text reply would confirm at once)."""
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone, channel="voice")
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, text="1", intent="confirm_appointment", slots={"channel": "voice"}),
    )
    assert slots_of(events)["flow"] == "identify"
    assert messages == []
    assert _status(sqlite_url, maria.appointment_id) == "booked"


@pytest.mark.parametrize("channel", ["sms", "voice"])
def test_a_bare_yes_with_nothing_to_answer_asks_what_they_need(demo, sqlite_url, channel):
    """ "Is there anything else?" - "yes": asked what, not sent to staff; on a call even an
    outstanding reminder is not confirmed by a bare yes (nothing disclosed)."""
    from dialogues.actions.appointments import ActionConfirmAppointment

    maria = demo.english_demo
    if channel == "sms":
        _forget_reminders(sqlite_url)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone, channel=channel)
    tasks_before = _staff_tasks(sqlite_url)
    _, messages = run(
        ActionConfirmAppointment(),
        tracker(uid, text="yes", intent="affirm", slots={"channel": channel}),
    )
    assert _responses(messages) == ["utter_what_else"]
    assert _status(sqlite_url, maria.appointment_id) == "booked"
    assert _staff_tasks(sqlite_url) == tasks_before  # nobody at the front desk is asked


def _staff_tasks(url: str) -> int:
    with UnitOfWork(url) as uow:
        return len(uow.session.execute(select(StaffTask.id)).all())


def test_every_slot_the_actions_set_is_in_the_domain():
    """Rasa drops a SlotSet of an unknown slot without a word: every slot the actions name must
    be declared in dialogues/domain (a unit test's fake tracker would not notice)."""
    import re

    import yaml

    from assistant.config import PROJECT_ROOT
    from dialogues.actions.router import TASK_SLOTS

    declared: set[str] = {"requested_slot", "session_started_metadata"}
    for path in (PROJECT_ROOT / "dialogues" / "domain").glob("*.yml"):
        declared |= set((yaml.safe_load(path.read_text()) or {}).get("slots") or {})
    code = "".join(p.read_text() for p in (PROJECT_ROOT / "dialogues" / "actions").glob("*.py"))
    named = set(re.findall(r'SlotSet\(\s*"(\w+)"', code)) | set(TASK_SLOTS)
    assert named - declared == set()


def test_a_new_request_after_a_finished_task_starts_that_task(demo, sqlite_url):
    """The flow slot of the task before ("done") does not end the next request."""
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone, channel="voice")
    verify_identity(uid)
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, text="/reschedule_appointment", intent="reschedule_appointment",
                slots={"channel": "voice", "task": "confirm", "flow": "done"}),
    )  # fmt: skip
    slots = slots_of(events)
    assert slots["flow"] == "reschedule" and slots["appointment_id"] == maria.appointment_id


@pytest.mark.parametrize(
    ("said", "rest"),
    [
        ("Yes definitely, thank you for the reminder!", "thank you for the reminder!"),
        ("si voy. tengo que ir en ayunas?", "tengo que ir en ayunas?"),
        ("confirmed", ""),
        ("ahi estare, donde me estaciono?", "donde me estaciono?"),
    ],
)
def test_a_text_that_opens_with_yes_answers_the_reminder(said, rest):
    from assistant.frontdesk.short_answers import opens_with_yes

    assert opens_with_yes(said) == (True, rest)


@pytest.mark.parametrize(
    "said",
    ["yes but I need to move it", "no I can't make it", "ok cancel it please", "my knee hurts",
     "yes, chest pain since this morning"],
)  # fmt: skip
def test_a_yes_with_a_no_a_change_or_an_emergency_is_no_reminder_answer(said):
    from assistant.frontdesk.short_answers import opens_with_yes

    assert opens_with_yes(said)[0] is False


@pytest.mark.parametrize(
    "said",
    [
        "please send my records to my new doctor",
        "right, so my knee still hurts",
        "¿ya están los resultados de mis análisis?",
    ],
)
def test_please_or_right_first_is_no_answer_to_the_reminder(said):
    from assistant.frontdesk.short_answers import opens_with_yes

    assert opens_with_yes(said)[0] is False
