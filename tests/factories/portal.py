"""The patient portal in tests: settings, a visitor signing in, the last code texted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask.testing import FlaskClient
from sqlalchemy import select

from assistant.config import Settings
from assistant.db.models import OutboundMessage
from assistant.demo.seed import DemoSummary
from assistant.unit_of_work import UnitOfWork
from tests.factories.webhooks import make_settings

# The browser tests' fixtures (Chromium as the console's tests start it; the live server).

LOCAL = {"TWILIO_ACCOUNT_SID": "", "TWILIO_AUTH_TOKEN": "", "TWILIO_PHONE_NUMBER": ""}


def portal_settings(database_url: str, **overrides: str) -> Settings:
    """Local mode (outbound SMS recorded), https public URL unless overridden."""
    return make_settings(database_url, **{**LOCAL, **overrides})


@dataclass
class Visitor:
    client: FlaskClient
    database_url: str
    demo: DemoSummary

    def csrf(self, path: str = "/portal/sign-in") -> str:
        html = self.client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)

    def request_code(self, phone: str, dob: str):
        token = self.csrf()
        return self.client.post(
            "/portal/sign-in", data={"csrf_token": token, "phone": phone, "dob": dob}
        )

    def enter_code(self, code: str):
        return self.client.post(
            "/portal/code", data={"csrf_token": self.csrf("/portal/code"), "code": code}
        )

    def sign_in(self, phone: str | None = None, dob: str = "03/03/1982"):
        phone = phone or self.demo.english_demo.phone
        assert self.request_code(phone, dob).status_code == 302
        response = self.enter_code(last_code(self.database_url, phone))
        assert response.headers["Location"].endswith("/portal/appointments")
        return response

    def post(self, path: str, data: dict | None = None, **kwargs):
        token = self.csrf("/portal/appointments")
        return self.client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


def last_code(database_url: str, phone: str) -> str:
    """The code in the latest sign-in text to `phone`, as the patient would read it."""
    with UnitOfWork(database_url) as uow:
        body = uow.session.execute(
            select(OutboundMessage.body)
            .where(OutboundMessage.to_number == phone, OutboundMessage.purpose == "otp")
            .order_by(OutboundMessage.id.desc())
            .limit(1)
        ).scalar_one()
    return re.search(r"\b(\d{6})\b", body).group(1)
