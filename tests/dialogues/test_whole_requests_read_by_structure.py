"""First messages read by their structure (issue #16): a task and a second request, a move that
only the patient's own visit can mean, a visit pushed back with its name in between, a kind of
doctor asked for by a new patient, and a caller's own birth date that is no part of a name."""

from __future__ import annotations

import pytest
from rasa_sdk.events import FollowupAction

from assistant.identity.introduction import introduction
from dialogues.actions.compound import book_or_move, books, moves, other_parts, task_in
from dialogues.actions.details import someone_said
from dialogues.actions.routing import ActionAfterEmergency
from tests.factories.dialogues import conversation, run, staff_departments, tracker


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("cancel my appointment pls, I'll make a new one when I'm back. also can you renew my"
         " sertraline", "prescription_refill"),
        ("cancele la cita, despues saco otra. y necesito que me surtan el omeprazol",
         "prescription_refill"),
        ("please cancel, I'll call back to rebook, and what time do you close on Fridays?",
         "office"),
    ],
)  # fmt: skip
def test_a_cancellation_with_a_new_visit_left_for_later_and_a_second_request(said, kind):
    assert task_in(said) == "cancel"
    assert [k for k, _ in other_parts(said)] == [kind]


@pytest.mark.parametrize(
    "said",
    [
        "reschedule me with nurse practitioner park next week",
        "can I switch to Emily Park on Thursday instead",
        "quiero cambiar la cita con la enfermera Park al lunes",
    ],
)
def test_a_provider_named_park_is_no_parking_question(said):
    assert other_parts(said) == []


@pytest.mark.parametrize(
    "said",
    [
        "move me to monday, and where can we park?",
        "cambie mi cita al martes. ¿dónde me estaciono?",
    ],
)
def test_a_parking_question_is_still_its_own_part(said):
    assert [k for k, _ in other_parts(said)] == ["office"]


@pytest.mark.parametrize(
    "said",
    [
        "could I come in a bit earlier that same day, like 8",
        "is there something later on the day of my appointment after 3",
        "puedo ir ese mismo día pero más tarde, después de las 4",
    ],
)
def test_the_visits_own_day_is_a_move_even_in_booking_words(said):
    assert book_or_move(said, "book") == "reschedule"


def test_a_new_visit_on_the_same_day_stays_a_booking():
    said = "can I book a new appointment for my son the same day as mine"
    assert book_or_move(said, "book") == "book"


@pytest.mark.parametrize(
    "said",
    [
        "I want to push my checkup back, any later day works",
        "could you bump the visit with dr chen out a little",
        "can we move my physical up, something sooner",
    ],
)
def test_a_visit_pushed_back_or_up_with_its_name_between_is_a_move(said):
    assert moves(said) and task_in(said) == "reschedule"


@pytest.mark.parametrize(
    "said",
    [
        "do you have a dermatologist? this patch on my arm keeps growing, I'm new",
        "does your clinic have a pediatrician, my daughter needs a school physical",
        "¿tienen pediatra? mi niño necesita revisión, nunca hemos ido",
        "I'd like this lump on my wrist looked at, first time calling",
    ],
)
def test_a_new_patient_asking_for_a_kind_of_doctor_asks_for_a_visit(said):
    assert books(said)


def test_a_callers_spoken_birth_date_is_no_part_of_their_name():
    said = "le habla Rosa Tello cuatro de mayo de mil novecientos ochenta quiero una cita"
    found = introduction(said, "es")
    assert found is not None
    assert found.name == "Rosa Tello"
    assert found.date_of_birth == "cuatro de mayo de mil novecientos ochenta"


def test_a_relative_named_before_an_age_and_a_birth_date_is_read():
    said = (
        "hi this is Greta Holm I'm calling for my son Anders Holm he's seven born June ninth"
        " twenty eighteen he has an earache can he come in tomorrow"
    )
    name, born, rest = someone_said(said, "en")
    assert (name, born) == ("Anders Holm", "June ninth twenty eighteen")
    assert "Greta" not in rest and "tomorrow" in rest


# --- a visit asked for in words the classifier took for an emergency ----------------------------


@pytest.mark.parametrize(
    "said",
    [
        "can I get in today for a sick visit? my ear is killing me but otherwise I'm fine",
        "¿tienen cita hoy? me arde la garganta horrible pero respiro bien",
    ],
)
def test_a_visit_asked_for_after_the_911_line_is_booked_as_asked(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(
        ActionAfterEmergency(), tracker(uid, text=said, intent="medical_emergency")
    )
    assert events == [FollowupAction("action_route_task")]
    assert messages == [] and staff_departments(sqlite_url, uid) == []


def test_a_question_for_the_nurse_after_the_911_line_stays_the_nurses(demo, sqlite_url):
    said = "my daughter has a rash and a fever since last night, should I bring her in today?"
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, _ = run(ActionAfterEmergency(), tracker(uid, text=said, intent="medical_emergency"))
    assert events == [] and staff_departments(sqlite_url, uid) == ["nurse_line"]


@pytest.mark.parametrize(
    "said",
    [
        "could you shift me to the Monday after next, I'm out of town till then",
        "bump me back to friday afternoon please",
        "páseme para el martes de la otra semana",
        "quiero otra fecha para mi cita, el lunes de ser posible",
    ],
)
def test_the_patient_moved_means_their_visit(said):
    assert task_in(said) == "reschedule"


@pytest.mark.parametrize(
    "said",
    [
        "me gustaría una videoconsulta con la doctora Chen el lunes",
        "I was hoping to see a skin specialist, maybe Thursday",
        "can you squeeze my husband in tomorrow, he's had a cough all week",
    ],
)
def test_a_visit_asked_for_in_other_words_is_a_booking(said):
    assert task_in(said) == "book"
