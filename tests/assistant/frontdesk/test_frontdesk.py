"""Appointment conversations with a verified patient, on the demo practice."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from assistant.conversations import sessions
from assistant.db.models import Appointment, AuditEvent, Conversation
from assistant.demo.seed import seed_demo
from assistant.frontdesk import service
from assistant.frontdesk.short_answers import choose, question_topic, wants_more, yes_no
from assistant.identity.service import verify_for
from assistant.unit_of_work import UnitOfWork


@pytest.fixture
def demo(sqlite_url):
    with UnitOfWork(sqlite_url) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    return summary


def _conversation(url: str, practice_id: int, phone: str, channel: str = "sms") -> str:
    with UnitOfWork(url) as uow:
        conversation = sessions.sms_conversation(
            uow.session, practice_id=practice_id, phone=phone, session_minutes=30
        )
        conversation.channel = channel
        uow.commit()
        return conversation.uid


@pytest.fixture
def maria_uid(demo, sqlite_url) -> str:
    uid = _conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    assert verify_for(UnitOfWork(sqlite_url), uid, "Maria Lopez", "03/03/1982", "en").verified
    return uid


def test_nothing_is_disclosed_before_verification(demo, sqlite_url):
    uid = _conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    with pytest.raises(service.NotVerified):
        service.list_for(UnitOfWork(sqlite_url), uid, "en", "sms")


def test_listing_discloses_and_audits(demo, sqlite_url, maria_uid):
    listing = service.list_for(UnitOfWork(sqlite_url), maria_uid, "en", "sms", record=True)
    [view] = listing.appointments
    maria = demo.english_demo
    assert view.appointment_id == maria.appointment_id
    assert view.provider == maria.provider_name and view.location == maria.location_name
    assert view.line("en") == f"{view.when} with {maria.provider_name} at {maria.location_name}"
    assert "10:00 AM" in view.when
    with UnitOfWork(sqlite_url) as uow:
        actions = uow.session.execute(
            select(AuditEvent.action).where(AuditEvent.entity_id == maria.appointment_id)
        ).scalars()
        assert "disclose" in set(actions)
        conversation = sessions.by_uid(uow.session, maria_uid)
        assert conversation.outcome == "informed"
        assert conversation.summary.startswith("Maria Lopez (verified)")


def test_voice_wording_is_speakable(demo, sqlite_url):
    uid = _conversation(sqlite_url, demo.practice_id, demo.spanish_demo.phone, channel="voice")
    assert verify_for(UnitOfWork(sqlite_url), uid, "jose hernandez", "15/07/1975", "es").verified
    [view] = service.list_for(UnitOfWork(sqlite_url), uid, "es", "voice").appointments
    assert " a las 14:00" in view.when
    assert view.line("es").startswith(view.when + " con ")


def test_cancel(demo, sqlite_url, maria_uid):
    maria = demo.english_demo
    result = service.cancel_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, "feeling better", "en", "sms"
    )
    assert result.status == service.DONE
    with UnitOfWork(sqlite_url) as uow:
        appointment = uow.session.get(Appointment, maria.appointment_id)
        assert appointment.status == "cancelled"
        assert appointment.cancel_reason == "feeling better"
        last = appointment.history[-1]
        assert (last.actor, last.channel) == (f"patient:{maria.patient_id}", "sms")
        conversation = sessions.by_uid(uow.session, maria_uid)
        assert conversation.outcome == "cancelled"
        assert conversation.summary.startswith(
            f"Maria Lopez (verified) cancelled {result.appointment.when.replace(',', '')}"
        )


def test_someone_elses_appointment_is_not_found(demo, sqlite_url, maria_uid):
    jose = demo.spanish_demo
    result = service.cancel_for(
        UnitOfWork(sqlite_url), maria_uid, jose.appointment_id, None, "en", "sms"
    )
    assert result.status == service.NOT_FOUND
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.get(Appointment, jose.appointment_id).status == "booked"


def test_reschedule_to_an_offered_option(demo, sqlite_url, maria_uid):
    maria = demo.english_demo
    offered = service.options_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, "afternoon please", "en", "sms"
    )
    assert offered.status == service.DONE and 1 <= len(offered.options) <= 3
    assert all(o.hour >= 12 for o in offered.options)
    assert all(maria.provider_name in o.label for o in offered.options)
    later = service.options_for(
        UnitOfWork(sqlite_url),
        maria_uid,
        maria.appointment_id,
        "afternoon please",
        "en",
        "sms",
        after=offered.options[-1].starts_at.isoformat(),
    )
    assert later.options[0].starts_at > offered.options[-1].starts_at
    chosen = offered.options[1] if len(offered.options) > 1 else offered.options[0]
    result = service.reschedule_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, chosen, "en", "sms"
    )
    assert result.status == service.DONE
    with UnitOfWork(sqlite_url) as uow:
        old = uow.session.get(Appointment, maria.appointment_id)
        assert old.status == "rescheduled"
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        assert new.starts_at == chosen.starts_at and new.status == "booked"
        conversation = uow.session.execute(
            select(Conversation).where(Conversation.uid == maria_uid)
        ).scalar_one()
        assert conversation.outcome == "rescheduled"
        assert conversation.summary.startswith("Maria Lopez (verified) rescheduled ")
        assert f"with {maria.provider_name} to " in conversation.summary


def test_a_change_asked_again_is_done_once(demo, sqlite_url, maria_uid):
    """The dialogue lost the turn that made the change (its Rasa server was killed while the
    action server worked: tests/reliability/test_rasa_faults.py) and the patient repeats their
    answer: they are told it is done, and nothing is changed twice."""
    maria = demo.english_demo
    offered = service.options_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, "", "en", "sms"
    )
    chosen = offered.options[0]
    first = service.reschedule_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, chosen, "en", "sms"
    )
    with UnitOfWork(sqlite_url) as uow:  # the lost turn was answered with a message taken
        sessions.set_outcome(sessions.by_uid(uow.session, maria_uid), "message_taken")
        uow.commit()
    again = service.reschedule_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, chosen, "en", "sms"
    )
    assert first.status == again.status == service.DONE
    assert again.appointment == first.appointment
    with UnitOfWork(sqlite_url) as uow:
        assert sessions.by_uid(uow.session, maria_uid).outcome == "rescheduled"
    other = offered.options[1]  # another time is a new request: the old one is gone
    moved = service.reschedule_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, other, "en", "sms"
    )
    assert moved.status == service.UNAVAILABLE
    new_id = first.appointment.appointment_id
    for _ in range(2):
        cancelled = service.cancel_for(
            UnitOfWork(sqlite_url), maria_uid, new_id, "sick", "en", "sms"
        )
        assert cancelled.status == service.DONE and cancelled.appointment.appointment_id == new_id
    with UnitOfWork(sqlite_url) as uow:
        old, new = (
            uow.session.get(Appointment, maria.appointment_id),
            uow.session.get(Appointment, new_id),
        )
        assert [h.action for h in old.history][-1:] == ["rescheduled"]
        assert [h.action for h in new.history] == ["booked", "cancelled"]


def test_a_taken_time_offers_alternatives(demo, sqlite_url, maria_uid):
    maria, jose = demo.english_demo, demo.spanish_demo
    offered = service.options_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, "", "en", "sms"
    )
    first = offered.options[0]
    jose_uid = _conversation(sqlite_url, demo.practice_id, jose.phone)
    assert verify_for(
        UnitOfWork(sqlite_url), jose_uid, "José Hernández", "1975-07-15", "es"
    ).verified
    assert service.reschedule_for(
        UnitOfWork(sqlite_url), jose_uid, jose.appointment_id, first, "es", "sms"
    ).status in (service.DONE, service.UNAVAILABLE)
    result = service.reschedule_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, first, "en", "sms"
    )
    if result.status == service.TAKEN:  # José could take Maria's time (same type of visit)
        assert result.options and result.options[0].starts_at != first.starts_at
        with UnitOfWork(sqlite_url) as uow:
            assert uow.session.get(Appointment, maria.appointment_id).status == "booked"


def test_waitlist(demo, sqlite_url, maria_uid):
    maria = demo.english_demo
    assert service.join_waitlist_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, "mornings", "en"
    )
    with UnitOfWork(sqlite_url) as uow:
        conversation = sessions.by_uid(uow.session, maria_uid)
        assert conversation.outcome == "waitlisted"


def test_office_info(demo, sqlite_url, maria_uid):
    info = service.office_info_for(UnitOfWork(sqlite_url), maria_uid, "es")
    assert "de lunes a viernes" in info and demo.english_demo.location_name in info


def test_the_cancellation_policy_is_the_practices_own(demo, sqlite_url, maria_uid):
    """The notice the practice's settings ask for; no fee said when the settings state none."""
    said = service.cancel_policy_for(UnitOfWork(sqlite_url), maria_uid, "en")
    assert "24 hours" in said and "$" not in said
    assert "24 horas" in service.cancel_policy_for(UnitOfWork(sqlite_url), maria_uid, "es")


@pytest.mark.parametrize(
    "text",
    [
        "hold on, do you guys charge me if I call off this close to the visit?",
        "what happens if I miss it, is there a penalty",
        "¿hay algún cargo si no llego a la cita?",
        "cuanto aviso necesitan para cancelar",
    ],
)
def test_a_fee_question_is_about_the_cancellation_policy(text):
    assert question_topic(text) == "policy"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the second one", 1),
        ("2", 1),
        ("#3", 2),
        ("la primera", 0),
        ("Thursday", 2),
        ("el jueves", 2),
        ("the 25th", 1),
        ("the last one", 2),
        ("3 pm", 2),
        ("whatever", None),
    ],
)
def test_choosing_among_options(text, expected):
    monday = date(2026, 11, 23)
    dates = [monday, monday + timedelta(days=2), monday + timedelta(days=3)]
    assert choose(text, dates, [9, 10, 15]) == expected


def test_short_answers():
    assert yes_no("yes please") is True
    assert yes_no("sí, claro") is True
    assert yes_no("no thanks") is False
    assert yes_no("hmm", "affirm") is True
    assert yes_no("maybe") is None
    assert wants_more("anything later?") and wants_more("¿tiene otra hora?")
    assert not wants_more("the second one")


@pytest.mark.parametrize(
    ("text", "days", "hours"),
    [
        ("same time a week later please", 7, range(9, 12)),  # about her 10 AM, a week on
        ("could you push it back two hours", 0, range(12, 14)),  # the same day, about noon
        ("earlier the same day", 0, range(0, 10)),  # that day, before 10
    ],
)
def test_new_times_relative_to_the_visit(demo, sqlite_url, maria_uid, text, days, hours):
    maria = demo.english_demo
    with UnitOfWork(sqlite_url) as uow:
        visit = uow.session.get(Appointment, maria.appointment_id)
        practice_zone = ZoneInfo(visit.location.time_zone)
        visit_day = visit.starts_at.astimezone(practice_zone).date()
    offered = service.options_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, text, "en", "sms"
    )
    assert offered.status == service.DONE and offered.options
    for option in offered.options:
        start = option.starts_at.astimezone(practice_zone)
        assert start.date() == visit_day + timedelta(days=days)
        assert start.hour in hours


@pytest.mark.parametrize(
    ("said", "provider"),
    [
        ("next week, could I see Dr. Okafor instead?", "Okafor"),
        ("next week, could I see Dr. Okafor instead? actually no, keep me with Dr. Chen", "Chen"),
        ("next week with dr okafor. hmm on second thought the first doctor is fine", "Chen"),
        ("la semana que viene con el doctor okafor, mejor con la doctora de antes", "Chen"),
        ("next week, not Dr. Okafor", "Chen"),
    ],
)
def test_the_provider_asked_for_last_is_searched(demo, sqlite_url, maria_uid, said, provider):
    """A correction back to the visit's own provider offers their times again (issue
    "conversations that recover", class 1)."""
    maria = demo.english_demo
    offered = service.options_for(
        UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, said, "en", "sms"
    )
    assert offered.status == service.DONE and offered.options
    assert all(f"Dr. {provider}" in o.label for o in offered.options)


def test_the_provider_asked_for_is_the_visits_own_for_the_first_doctor(demo, sqlite_url, maria_uid):
    maria = demo.english_demo
    with UnitOfWork(sqlite_url) as uow:
        own = uow.session.get(Appointment, maria.appointment_id).provider_id

    def asked(text: str) -> int | None:
        return service.provider_asked_for(
            UnitOfWork(sqlite_url), maria_uid, maria.appointment_id, text
        )

    assert asked("my usual doctor is fine") == own
    assert asked("keep me with Dr. Chen") == own
    assert asked("with Dr. Okafor") not in (None, own)
    assert asked("the first one") is None
