"""The portal chat in headless Chromium against the real Rasa server and action server: what a
signed-in patient reads when asking about their next visit. Its screenshot is the README's."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from assistant.db.models import Appointment
from assistant.demo.seed import DemoSummary, seed_demo
from assistant.timefmt import format_when
from assistant.unit_of_work import UnitOfWork
from tests.factories.console import SCREENSHOTS
from tests.factories.portal import last_code
from webhooks import create_app

pytestmark = pytest.mark.rasa


@pytest.fixture
def real_portal(dialogue_settings, live_db) -> Iterator[tuple[str, str, DemoSummary]]:
    with UnitOfWork(live_db) as uow:
        demo = seed_demo(uow.session)
        uow.commit()
    local = dataclasses.replace(  # sign-in codes recorded, not sent; plain http on loopback
        dialogue_settings,
        twilio_account_sid=None,
        twilio_auth_token=None,
        public_base_url="http://127.0.0.1",
        portal_secure_cookies=False,
    )
    server = make_server("127.0.0.1", 0, create_app(local), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", live_db, demo
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_asking_for_the_next_visit_in_the_chat_names_it(real_portal, browser) -> None:
    base_url, database_url, demo = real_portal
    maria = demo.english_demo
    with UnitOfWork(database_url) as uow:
        visit = uow.session.get(Appointment, maria.appointment_id)
        when = format_when(visit.starts_at, visit.location.time_zone)
    _ask_and_look(browser, base_url, database_url, maria.phone, when)


def _ask_and_look(browser, base_url: str, database_url: str, phone: str, when: str) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(20_000)  # a real dialogue turn
    page = context.new_page()
    try:
        page.goto("/portal/sign-in")
        page.get_by_label("Mobile phone number").fill(phone)
        page.get_by_label("Date of birth").fill("03/03/1982")
        page.get_by_role("button", name="Text me a code").click()
        page.get_by_label("6-digit code").fill(last_code(database_url, phone))
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Chat with the assistant").click()
        page.get_by_role("button", name="When is my next appointment?").click()
        log = page.get_by_role("log")
        expect(log).to_contain_text(when)  # the real assistant names the visit's day and time
        expect(page.get_by_text("The assistant is typing…")).to_be_hidden()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "portal-chat.png"), full_page=True)
    finally:
        context.close()
