"""The portal in headless Chromium: what a patient does with it, on a phone-width screen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from assistant.db.models import Appointment, PortalSession
from assistant.db.types import utcnow
from assistant.unit_of_work import UnitOfWork
from tests.factories.console import SCREENSHOTS
from tests.factories.portal import last_code
from tests.webhooks.portal.browser import (
    Person,
    PortalServer,
    people_with_visits,
    sign_in,
)

PHONE = {"width": 390, "height": 844}
_taken: set[int] = set()


@pytest.fixture
def page(browser, portal_server: PortalServer):
    context = browser.new_context(base_url=portal_server.base_url, viewport=PHONE)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def person(server: PortalServer) -> Person:
    """A patient no other test has used (the server's database lives for the whole run)."""
    chosen = people_with_visits(server.database_url, 1, _taken)[0]
    _taken.add(chosen.patient_id)
    return chosen


def status_of(server: PortalServer, appointment_id: int) -> str:
    with UnitOfWork(server.database_url) as uow:
        return uow.session.get(Appointment, appointment_id).status


def test_sign_in_with_a_texted_code_then_confirm(page: Page, portal_server: PortalServer):
    maria = Person(
        portal_server.demo.english_demo.patient_id,
        "Maria Lopez",
        portal_server.demo.english_demo.phone,
        "03/03/1982",
        portal_server.demo.english_demo.appointment_id,
    )
    _taken.add(maria.patient_id)
    page.goto("/portal/sign-in")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "portal-sign-in.png"), full_page=True)
    page.get_by_label("Mobile phone number").fill(maria.phone)
    page.get_by_label("Date of birth").fill(maria.dob)
    page.get_by_role("button", name="Text me a code").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert maria.phone not in page.url
    page.get_by_label("6-digit code").fill(last_code(portal_server.database_url, maria.phone))
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/portal/appointments$"))
    expect(page.get_by_text("Viewing the record of Maria Lopez")).to_be_visible()
    visit = page.get_by_role("listitem").filter(has_text="Dr. Chen").first
    expect(visit).to_contain_text("Not confirmed yet")
    page.screenshot(path=str(SCREENSHOTS / "portal-appointments.png"), full_page=True)
    visit.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Thank you, your visit is confirmed.")
    expect(page.get_by_role("listitem").filter(has_text="Dr. Chen").first).to_contain_text(
        "Confirmed"
    )
    assert status_of(portal_server, maria.appointment_id) == "confirmed"


def test_reschedule_and_cancel_from_the_list(page: Page, portal_server: PortalServer):
    patient = person(portal_server)
    sign_in(page, portal_server, patient)
    expect(page.get_by_role("heading", name="Your upcoming visits")).to_be_visible()
    first = page.locator(".visit").first
    old_when = first.get_by_role("heading").inner_text()
    first.get_by_role("link", name="Reschedule").click()
    expect(page.get_by_role("heading", name="Choose a new time")).to_be_visible()
    options = page.get_by_role("radio")
    expect(options.first).to_be_visible()
    second_label = page.locator("fieldset label").nth(1).inner_text()
    options.nth(1).check()
    page.get_by_role("button", name="Move my visit to this time").click()

    expect(page.get_by_role("status")).to_contain_text("Your visit has been moved.")
    new_when = second_label.split(" with ")[0]
    expect(page.locator(".visit.changed h2")).to_have_text(new_when)
    expect(page.locator("main")).not_to_contain_text(old_when)
    assert status_of(portal_server, patient.appointment_id) == "rescheduled"

    page.locator(".visit.changed").get_by_role("link", name="Cancel visit").click()
    expect(page.get_by_role("heading", name="Cancel this visit?")).to_be_visible()
    page.get_by_label("Reason (optional)").fill("Travelling")
    page.get_by_role("button", name="Yes, cancel the visit").click()
    expect(page.get_by_role("status")).to_have_text("Your visit has been cancelled.")
    expect(page.locator("main")).not_to_contain_text(new_when)


def test_wrong_code_three_times_locks_the_sign_in(page: Page, portal_server: PortalServer):
    patient = person(portal_server)
    page.goto("/portal/sign-in")
    page.get_by_label("Mobile phone number").fill(patient.phone)
    page.get_by_label("Date of birth").fill(patient.dob)
    page.get_by_role("button", name="Text me a code").click()
    code = last_code(portal_server.database_url, patient.phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (2, 1):
        page.get_by_label("6-digit code").fill(wrong)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text(
            f"That code is not correct. Tries left: {left}."
        )
    page.get_by_label("6-digit code").fill(wrong)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Sign-in is locked for 15 minutes")
    expect(page.get_by_label("6-digit code")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "portal-locked.png"), full_page=True)
    response = page.goto("/portal/appointments")
    assert response is not None and page.url.endswith("/portal/sign-in")


def test_an_expired_session_cannot_act(page: Page, portal_server: PortalServer):
    patient = person(portal_server)
    sign_in(page, portal_server, patient)
    expect(page.get_by_role("heading", name="Your upcoming visits")).to_be_visible()
    with UnitOfWork(portal_server.database_url) as uow:
        row = (
            uow.session.execute(
                select(PortalSession)
                .where(PortalSession.patient_id == patient.patient_id)
                .order_by(PortalSession.id.desc())
            )
            .scalars()
            .first()
        )
        row.last_seen_at = utcnow() - timedelta(minutes=16)
        uow.commit()
    page.locator(".visit").first.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/portal/sign-in$"))
    expect(page.get_by_role("status")).to_contain_text("Your session ended after 15 minutes")
    assert status_of(portal_server, patient.appointment_id) == "booked"


def test_chat_with_typing_indicator_quick_replies_and_spanish(
    page: Page, portal_server: PortalServer, tmp_path
):
    """The chat's mechanics against a scripted stand-in dialogue (its picture is not the
    README's: that one comes from the real stack, tests/integration/test_portal_chat.py)."""
    patient = person(portal_server)
    sign_in(page, portal_server, patient)
    page.get_by_role("link", name="Chat with the assistant").click()
    expect(page.get_by_role("heading", name="Chat with the assistant")).to_be_visible()
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    portal_server.rasa.answers.append(
        [
            {"text": "Your next visit is coming up. Would you like to keep it?"},
            {"buttons": [{"title": "Keep it", "payload": "/affirm"}]},
        ]
    )
    page.get_by_role("button", name="When is my next appointment?").click()
    expect(page.get_by_text("The assistant is typing…")).to_be_visible()
    expect(log).to_contain_text("Would you like to keep it?")
    expect(page.get_by_text("The assistant is typing…")).to_be_hidden()
    page.screenshot(path=str(tmp_path / "stand-in-chat.png"), full_page=True)
    portal_server.rasa.answers.append([{"text": "Great, see you then."}])
    page.get_by_role("button", name="Keep it").click()
    expect(log).to_contain_text("Great, see you then.")
    assert portal_server.rasa.received[-1]["message"] == "/affirm"
    assert portal_server.rasa.received[-1]["sender"].startswith("portal:")

    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", name="Hablar con el asistente")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    portal_server.rasa.answers.append([{"text": "Claro."}])
    page.get_by_label("Su mensaje").fill("gracias")
    page.get_by_role("button", name="Enviar").click()
    expect(log).to_contain_text("Claro.")
    assert portal_server.rasa.received[-1]["metadata"]["language"] == "es"
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("status")).to_have_text("Cerró la sesión.")


UNLABELLED = """() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea, button')]
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !(el.textContent || '').trim())
    .map(el => el.outerHTML)"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def check_page(page: Page) -> None:
    """Every control has a name, nothing scrolls sideways at phone width, the skip link is
    the first stop of the keyboard and leads to the main content."""
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate(OVERFLOW) <= 0
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused in ("Skip to main content", "Ir al contenido principal")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_pages_are_usable_by_keyboard_and_at_phone_width(page: Page, portal_server: PortalServer):
    patient = person(portal_server)
    page.goto("/portal/sign-in")
    check_page(page)
    sign_in(page, portal_server, patient)
    expect(page.get_by_role("heading", name="Your upcoming visits")).to_be_visible()
    check_page(page)
    visit = patient.appointment_id
    for path in (
        f"/portal/appointments/{visit}/reschedule",
        f"/portal/appointments/{visit}/cancel",
        "/portal/chat",
        "/portal/chat?lang=es",
    ):
        page.goto(path)
        check_page(page)
    expect(page.locator("html")).to_have_attribute("lang", "es")
