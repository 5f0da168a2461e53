"""What the patient reads: the minimum necessary, one GSM-7 segment, prep once, on the right
reminder; and delivery callbacks reaching the reminder."""

from __future__ import annotations

from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from assistant.db.models import Location, Patient, UndeliverableNumber
from assistant.messaging.segments import is_gsm7
from assistant.reminders import worker
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    BIOPSY_PREP,
    BOOKED_AT,
    VISIT,
    make_appointment,
    make_clinic,
    make_patient,
    ny,
    plan,
    reminders_of,
    sending_outbound,
    sent_messages,
    settings_for,
)
from webhooks import create_app

DUE = (ny(2026, 11, 25, 10), ny(2026, 11, 30, 10), ny(2026, 12, 1, 10))


def _send_all(url: str) -> list[str]:
    settings = settings_for(url)
    plan(url, BOOKED_AT)
    for now in DUE:
        worker.run_once(settings, now)
    return [m.body for m in sent_messages(url)]


def test_a_reminder_says_who_when_where_and_how_to_reply_and_nothing_more(world) -> None:
    bodies = _send_all(world.url)
    assert len(bodies) == 3
    body = bodies[0]
    assert body == (
        "Test Family Clinic: appointment Wed Dec 2, 10:00 AM at Main Street Office. "
        "Reply 1 to confirm, 2 to reschedule, 3 to talk to us. STOP to opt out."
    )
    for detail in ("Follow-up", "Dermatology", "Shah", "Asha", "Maria", "Lopez", "CANCEL"):
        assert detail.lower() not in body.lower()
    assert is_gsm7(body) and len(body) <= 160


def test_spanish_reminder_stays_in_one_gsm7_segment(db_url: str) -> None:
    with UnitOfWork(db_url) as uow:
        clinic = make_clinic(uow.session)
        patient = make_patient(uow.session, clinic, language="es")
        make_appointment(uow.session, clinic, patient, ny(2026, 12, 5, 10))  # a Saturday
        uow.commit()
    body = _send_all(db_url)[0]
    assert body.startswith("Test Family Clinic: cita el sab 5 de diciembre a las 10:00")
    assert "Responda 1 para confirmar" in body
    assert is_gsm7(body) and len(body) <= 160


def test_a_location_named_after_a_specialty_is_given_by_its_address(world) -> None:
    with UnitOfWork(world.url) as uow:
        uow.session.get(Location, world.clinic.location_id).name = "Oak Park Dermatology Center"
        uow.commit()
    body = _send_all(world.url)[0]
    assert "Dermatology" not in body and "at 1 Main St, Springfield." in body


def test_procedure_prep_goes_with_the_two_day_reminder_only(world) -> None:
    with UnitOfWork(world.url) as uow:
        patient = uow.session.get(Patient, world.patient_id)
        biopsy = make_appointment(
            uow.session, world.clinic, patient, VISIT.replace(day=9), type_id=world.clinic.biopsy_id
        )
        uow.commit()
    settings = settings_for(world.url)
    plan(world.url, BOOKED_AT)
    for now in (ny(2026, 12, 2, 10), ny(2026, 12, 7, 10), ny(2026, 12, 8, 10)):
        worker.run_once(settings, now)
    rows = reminders_of(world.url, biopsy.id)
    assert [(r.offset_days, r.status, r.includes_prep) for r in rows] == [
        (7, "sent", False),
        (2, "sent", True),
        (1, "sent", False),
    ]
    bodies = {m.id: m.body for m in sent_messages(world.url)}
    assert [BIOPSY_PREP in bodies[r.outbound_message_id] for r in rows] == [False, True, False]
    assert "biopsy" not in " ".join(bodies.values()).lower()


def test_prep_moves_to_the_next_reminder_when_the_two_day_one_is_skipped(world) -> None:
    with UnitOfWork(world.url) as uow:
        patient = uow.session.get(Patient, world.patient_id)
        biopsy = make_appointment(
            uow.session, world.clinic, patient, VISIT.replace(day=9), type_id=world.clinic.biopsy_id
        )
        uow.commit()
    plan(world.url, ny(2026, 12, 7, 12))  # booked after the 2-day reminder was due
    worker.run_once(settings_for(world.url), ny(2026, 12, 8, 10))
    rows = reminders_of(world.url, biopsy.id)
    assert [(r.offset_days, r.status, r.includes_prep) for r in rows] == [
        (7, "skipped", False),
        (2, "skipped", False),
        (1, "sent", True),
    ]


def _client(url: str, fake_url: str) -> tuple[FlaskClient, object]:
    settings = settings_for(url, fake_url)
    client = create_app(settings).test_client()

    def post(params: dict[str, str]):
        signature = RequestValidator(settings.twilio_auth_token).compute_signature(
            settings.public_base_url + "/twilio/status", params
        )
        return client.post("/twilio/status", data=params, headers={"X-Twilio-Signature": signature})

    return client, post


def test_delivery_callbacks_update_the_reminder(sqlite_url: str, fake_twilio) -> None:
    with UnitOfWork(sqlite_url) as uow:
        clinic = make_clinic(uow.session)
        patient = make_patient(uow.session, clinic)
        appointment = make_appointment(uow.session, clinic, patient, VISIT)
        uow.commit()
    settings = settings_for(sqlite_url, fake_twilio.url)
    plan(sqlite_url, BOOKED_AT)
    worker.run_once(settings, DUE[0], outbound=sending_outbound(settings))
    reminder = reminders_of(sqlite_url, appointment.id)[0]
    _, post = _client(sqlite_url, fake_twilio.url)

    for status in ("sent", "delivered", "sent"):  # out of order: never moves back
        assert post({"MessageSid": reminder.twilio_sid, "MessageStatus": status}).status_code == 204
    assert reminders_of(sqlite_url, appointment.id)[0].delivery_status == "delivered"
    assert sent_messages(sqlite_url)[0].status == "delivered"


def test_an_undelivered_callback_for_a_landline_marks_the_number(sqlite_url, fake_twilio) -> None:
    with UnitOfWork(sqlite_url) as uow:
        clinic = make_clinic(uow.session)
        patient = make_patient(uow.session, clinic)
        appointment = make_appointment(uow.session, clinic, patient, VISIT)
        uow.commit()
    settings = settings_for(sqlite_url, fake_twilio.url)
    plan(sqlite_url, BOOKED_AT)
    worker.run_once(settings, DUE[0], outbound=sending_outbound(settings))
    reminder = reminders_of(sqlite_url, appointment.id)[0]
    _, post = _client(sqlite_url, fake_twilio.url)
    params = {"MessageSid": reminder.twilio_sid, "MessageStatus": "undelivered"}
    assert post(params | {"ErrorCode": "30006"}).status_code == 204
    row = reminders_of(sqlite_url, appointment.id)[0]
    assert (row.delivery_status, row.error_code) == ("undelivered", "30006")
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.get(UndeliverableNumber, "+15555550123").reason == "landline"
    worker.run_once(settings, DUE[1], outbound=sending_outbound(settings))
    assert fake_twilio.posts == 1  # the 2-day reminder is not tried


def test_with_a_public_https_address_the_text_carries_a_signed_portal_link(world) -> None:
    from assistant.portal import signin

    settings = settings_for(world.url, PORTAL_LINK_IN_REMINDERS="true")
    assert settings.reminder_portal_links
    plan(world.url, BOOKED_AT)
    worker.run_once(settings, DUE[0])
    (body,) = [m.body for m in sent_messages(world.url)]
    head, _, url = body.partition(" Manage it online: ")
    assert head.endswith("STOP to opt out.") or head.endswith("3 to talk to us.")
    assert url.startswith("https://clinic.example.org/portal/link/")
    for detail in ("Maria", "Lopez", "1980", "5555"):
        assert detail not in url  # the token names a one-time challenge, not the patient
    token = url.rsplit("/", 1)[1]
    assert signin.open_link(UnitOfWork(world.url), token, secret=settings.secret_key) is not None
    assert (
        signin.open_link(UnitOfWork(world.url), token, secret="another-secret-0123456789") is None
    )


def test_no_link_unless_asked_for_or_without_https(world) -> None:
    assert not settings_for(
        world.url, PUBLIC_BASE_URL="http://10.0.0.5:8000", PORTAL_LINK_IN_REMINDERS="true"
    ).reminder_portal_links
    settings = settings_for(world.url)
    plan(world.url, BOOKED_AT)
    worker.run_once(settings, DUE[0])
    (body,) = [m.body for m in sent_messages(world.url)]
    assert "/portal/" not in body and len(body) <= 160
