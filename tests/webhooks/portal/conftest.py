"""The portal against the demo practice: a Flask test client that signs in like a patient,
reading the code from the SMS the app recorded (no Twilio credentials: nothing is sent)."""

from __future__ import annotations

import pytest

from assistant.demo.seed import DemoSummary, seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.factories.portal import (
    Visitor,
    portal_settings,
)
from webhooks import create_app


@pytest.fixture
def demo(sqlite_url: str) -> DemoSummary:
    with UnitOfWork(sqlite_url) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    return summary


@pytest.fixture
def visitor(sqlite_url: str, demo: DemoSummary) -> Visitor:
    app = create_app(portal_settings(sqlite_url))
    return Visitor(app.test_client(), sqlite_url, demo)


# The browser tests' fixtures (Chromium as the console's tests start it; the live server).
from tests.webhooks.portal.browser import portal_server  # noqa: E402, F401
