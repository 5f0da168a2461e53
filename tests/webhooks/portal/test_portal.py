"""The portal through Flask's test client: sign-in, cookies, CSRF, appointments, expiry."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlalchemy import select

from assistant.db.models import (
    Appointment,
    AppointmentHistory,
    AuditEvent,
    OutboundMessage,
    PortalSession,
)
from assistant.db.types import utcnow
from assistant.unit_of_work import UnitOfWork
from tests.factories.portal import Visitor, last_code, portal_settings
from webhooks import create_app


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def appointment(visitor: Visitor, appointment_id: int) -> Appointment:
    with UnitOfWork(visitor.database_url) as uow:
        found = uow.session.get(Appointment, appointment_id)
        uow.session.expunge(found)
        return found


def test_sign_in_page_in_english_and_spanish(visitor: Visitor):
    english = visitor.client.get("/portal/sign-in")
    assert english.status_code == 200
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert '<label for="phone">Mobile phone number</label>' in english.get_data(as_text=True)
    spanish = visitor.client.get("/portal/sign-in?lang=es")
    assert '<html lang="es">' in spanish.get_data(as_text=True)
    assert "Número de celular" in text_of(spanish)
    # the choice is remembered
    assert "Fecha de nacimiento" in text_of(visitor.client.get("/portal/sign-in"))


def test_code_sign_in_sets_a_locked_down_cookie_and_shows_the_visits(visitor: Visitor):
    maria = visitor.demo.english_demo
    response = visitor.request_code(maria.phone, "03/03/1982")
    assert response.headers["Location"].endswith("/portal/code")
    assert maria.phone not in response.headers["Location"]
    response = visitor.enter_code(last_code(visitor.database_url, maria.phone))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert "Path=/portal" in cookie
    page = visitor.client.get("/portal/appointments")
    assert page.status_code == 200
    shown = text_of(page)
    assert "Viewing the record of Maria Lopez" in shown
    assert maria.provider_name in shown and maria.location_name in shown
    assert page.headers["Cache-Control"] == "no-store"
    with UnitOfWork(visitor.database_url) as uow:
        disclosed = uow.session.execute(
            select(AuditEvent.entity_id).where(
                AuditEvent.channel == "portal", AuditEvent.action == "disclose"
            )
        ).scalars()
        assert maria.appointment_id in set(disclosed)


def test_cookie_is_not_secure_when_turned_off_for_local_http(sqlite_url, demo):
    settings = portal_settings(
        sqlite_url, PUBLIC_BASE_URL="http://127.0.0.1:8000", PORTAL_SECURE_COOKIES="false"
    )
    visitor = Visitor(create_app(settings).test_client(), sqlite_url, demo)
    visitor.request_code(demo.english_demo.phone, "03/03/1982")
    response = visitor.enter_code(last_code(sqlite_url, demo.english_demo.phone))
    assert "Secure" not in response.headers["Set-Cookie"]


def test_a_form_without_the_csrf_token_is_refused(visitor: Visitor):
    visitor.sign_in()
    appointment_id = visitor.demo.english_demo.appointment_id
    response = visitor.client.post(f"/portal/appointments/{appointment_id}/confirm")
    assert response.status_code == 400
    assert appointment(visitor, appointment_id).status == "booked"
    response = visitor.client.post(
        "/portal/sign-in", data={"phone": visitor.demo.english_demo.phone, "dob": "03/03/1982"}
    )
    assert response.status_code == 400


def test_confirm_from_the_list(visitor: Visitor):
    visitor.sign_in()
    appointment_id = visitor.demo.english_demo.appointment_id
    response = visitor.post(f"/portal/appointments/{appointment_id}/confirm")
    assert response.status_code == 302
    assert appointment(visitor, appointment_id).status == "confirmed"
    page = text_of(visitor.client.get("/portal/appointments"))
    assert "Thank you, your visit is confirmed." in page
    with UnitOfWork(visitor.database_url) as uow:
        history = uow.session.execute(
            select(AppointmentHistory).where(AppointmentHistory.appointment_id == appointment_id)
        ).scalars()
        assert ("confirmed", "portal") in [(h.action, h.channel) for h in history]


def test_cancel_from_the_list(visitor: Visitor):
    visitor.sign_in()
    appointment_id = visitor.demo.english_demo.appointment_id
    page = visitor.client.get(f"/portal/appointments/{appointment_id}/cancel")
    assert "Cancel this visit?" in text_of(page)
    visitor.post(f"/portal/appointments/{appointment_id}/cancel", {"reason": "feeling better"})
    cancelled = appointment(visitor, appointment_id)
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "feeling better")
    assert "Your visit has been cancelled." in text_of(visitor.client.get("/portal/appointments"))


def test_reschedule_from_the_list_shows_the_new_time(visitor: Visitor):
    visitor.sign_in()
    appointment_id = visitor.demo.english_demo.appointment_id
    page = visitor.client.get(f"/portal/appointments/{appointment_id}/reschedule")
    html = page.get_data(as_text=True)
    tokens = re.findall(r'name="option" id="option-\d" value="([^"]+)"', html)
    labels = re.findall(r'<label for="option-\d">([^<]+)</label>', html)
    assert tokens and len(tokens) == len(labels)
    response = visitor.post(
        f"/portal/appointments/{appointment_id}/reschedule", {"option": tokens[0]}
    )
    assert response.headers["Location"].endswith("/portal/appointments")
    old = appointment(visitor, appointment_id)
    assert old.status == "rescheduled" and old.rescheduled_to_id
    listing = text_of(visitor.client.get("/portal/appointments"))
    assert "Your visit has been moved." in listing
    new_when = labels[0].split(" with ")[0]
    assert new_when in listing
    # a tampered option is refused
    response = visitor.post(
        f"/portal/appointments/{old.rescheduled_to_id}/reschedule", {"option": "x" + tokens[1]}
    )
    assert "We found no free times" in text_of(response)


def test_calendar_file_and_no_access_to_another_patients_visit(visitor: Visitor):
    visitor.sign_in()
    mine = visitor.demo.english_demo.appointment_id
    response = visitor.client.get(f"/portal/appointments/{mine}/calendar.ics")
    assert response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and "Dr. Chen" in body
    theirs = visitor.demo.spanish_demo.appointment_id
    assert visitor.client.get(f"/portal/appointments/{theirs}/calendar.ics").status_code == 404
    assert visitor.post(f"/portal/appointments/{theirs}/confirm").status_code == 302
    assert appointment(visitor, theirs).status == "booked"
    assert visitor.client.get(f"/portal/appointments/{theirs}/cancel").status_code == 404


def test_an_appointment_id_beyond_32_bits_is_not_found_not_a_crash(visitor: Visitor):
    """Ids past SQLite's and PostgreSQL's integers were a 500 (found by schemathesis)."""
    visitor.sign_in()
    for huge in (2**31, 2**63, 6533520089458242589032448):
        base = f"/portal/appointments/{huge}"
        assert visitor.client.get(f"{base}/calendar.ics").status_code == 404
        assert visitor.client.get(f"{base}/cancel").status_code == 404
        assert visitor.client.get(f"{base}/reschedule").status_code == 404
        assert visitor.post(f"{base}/confirm").status_code == 404
        assert visitor.post(f"{base}/cancel", {"reason": "x"}).status_code == 404


def test_three_wrong_codes_lock_the_sign_in(visitor: Visitor):
    maria = visitor.demo.english_demo
    visitor.request_code(maria.phone, "03/03/1982")
    code = last_code(visitor.database_url, maria.phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert "Tries left: 2" in text_of(visitor.enter_code(wrong))
    assert "Tries left: 1" in text_of(visitor.enter_code(wrong))
    assert "Sign-in is locked for 15 minutes" in text_of(visitor.enter_code(wrong))
    assert "locked" in text_of(visitor.enter_code(code))
    assert visitor.client.get("/portal/appointments").status_code == 302
    locked = visitor.request_code(maria.phone, "03/03/1982")
    assert locked.status_code == 400 and "locked" in text_of(locked)


def test_details_matching_nobody_get_the_same_answer(visitor: Visitor):
    response = visitor.request_code("+15555550999", "01/01/1990")
    assert response.headers["Location"].endswith("/portal/code")
    assert "If the details match our records" in text_of(visitor.client.get("/portal/code"))
    assert "Tries left: 2" in text_of(visitor.enter_code("123456"))
    with UnitOfWork(visitor.database_url) as uow:
        sent = uow.session.execute(
            select(OutboundMessage).where(OutboundMessage.purpose == "otp")
        ).all()
        assert sent == []


def test_an_idle_session_cannot_act(visitor: Visitor):
    visitor.sign_in()
    appointment_id = visitor.demo.english_demo.appointment_id
    token = visitor.csrf("/portal/appointments")
    with UnitOfWork(visitor.database_url) as uow:
        row = uow.session.execute(select(PortalSession)).scalar_one()
        row.last_seen_at = utcnow() - timedelta(minutes=16)
        uow.commit()
    response = visitor.client.post(
        f"/portal/appointments/{appointment_id}/confirm", data={"csrf_token": token}
    )
    assert response.headers["Location"].endswith("/portal/sign-in")
    assert appointment(visitor, appointment_id).status == "booked"
    page = text_of(visitor.client.get("/portal/sign-in"))
    assert "Your session ended after 15 minutes without activity" in page
    with UnitOfWork(visitor.database_url) as uow:
        assert uow.session.execute(select(PortalSession.end_reason)).scalar_one() == "idle"


def test_sign_out_ends_the_session(visitor: Visitor):
    visitor.sign_in()
    visitor.post("/portal/sign-out")
    assert "You have signed out." in text_of(visitor.client.get("/portal/sign-in"))
    assert visitor.client.get("/portal/appointments").status_code == 302
    with UnitOfWork(visitor.database_url) as uow:
        assert uow.session.execute(select(PortalSession.end_reason)).scalar_one() == "signed_out"


def test_family_members_on_one_phone_switch_records(visitor: Visitor):
    from assistant.db.models import Patient, PatientPhone

    shared = visitor.demo.shared_phones[0]
    with UnitOfWork(visitor.database_url) as uow:
        family = uow.session.execute(
            select(Patient)
            .join(PatientPhone)
            .where(PatientPhone.number == shared)
            .order_by(Patient.id)
        ).scalars()
        family = [(p.id, p.full_name, p.date_of_birth) for p in family]
    first, second = family[0], family[1]
    visitor.sign_in(shared, first[2].strftime("%m/%d/%Y"))
    page = text_of(visitor.client.get("/portal/appointments"))
    assert f"Viewing the record of {first[1]}" in page
    visitor.post("/portal/switch", {"patient_id": str(second[0])})
    assert f"Viewing the record of {second[1]}" in text_of(
        visitor.client.get("/portal/appointments")
    )
    # a patient not on this phone cannot be switched to
    visitor.post("/portal/switch", {"patient_id": str(visitor.demo.english_demo.patient_id)})
    assert f"Viewing the record of {second[1]}" in text_of(
        visitor.client.get("/portal/appointments")
    )


def test_signed_link_from_a_reminder_text(visitor: Visitor):
    from assistant.portal import signin

    maria = visitor.demo.english_demo
    with UnitOfWork(visitor.database_url) as uow:
        token = signin.create_link(
            uow.session,
            secret="test-secret-key-0123456789",
            practice_id=visitor.demo.practice_id,
            patient_id=maria.patient_id,
            phone=maria.phone,
        )
        uow.commit()
    response = visitor.client.get(f"/portal/link/{token}")
    assert response.headers["Location"].endswith("/portal/link")  # the token leaves the URL
    assert "Confirm it is you" in text_of(visitor.client.get("/portal/link"))
    response = visitor.client.post(
        "/portal/link", data={"csrf_token": visitor.csrf("/portal/link"), "dob": "03/03/1982"}
    )
    assert response.headers["Location"].endswith("/portal/appointments")
    assert "Maria Lopez" in text_of(visitor.client.get("/portal/appointments"))
    bad = visitor.client.get(f"/portal/link/{token}")  # used once
    assert bad.headers["Location"].endswith("/portal/sign-in")


def test_no_phone_name_or_birth_date_in_the_logs(visitor: Visitor, caplog):
    caplog.set_level(logging.DEBUG)
    maria = visitor.demo.english_demo
    visitor.sign_in()
    visitor.client.get("/portal/appointments")
    visitor.request_code("+15555550999", "01/01/1990")
    logged = caplog.text
    for secret in (maria.phone, maria.phone[-10:], "Lopez", "1982", "5555550999"):
        assert secret not in logged


def test_rate_limits_use_the_address_the_trusted_proxy_saw(sqlite_url):
    from webhooks.portal import views

    headers = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}
    for hops, expected in ((0, "10.0.0.1"), (1, "203.0.113.9"), (2, "198.51.100.7")):
        app = create_app(portal_settings(sqlite_url, TRUSTED_PROXIES=str(hops)))
        with app.test_request_context(headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"}):
            assert views._ip() == expected
