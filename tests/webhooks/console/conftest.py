"""The console against a real server: the Flask app in a thread (werkzeug) on a free loopback
port, a migrated SQLite database seeded with the demo, and Debian's Chromium in headless mode
driven by Playwright (never `playwright install`: scripts/install-browser.sh provides it)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from assistant.db import migrate
from assistant.demo.seed import seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.factories.console import (
    Console,
)
from tests.factories.webhooks import make_settings
from webhooks import create_app


@pytest.fixture(scope="session")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    path = tmp_path_factory.mktemp("console") / "console.sqlite3"
    database_url = f"sqlite:///{path}"
    migrate.upgrade(database_url)
    with UnitOfWork(database_url) as uow:
        demo = seed_demo(uow.session)
        uow.commit()
    # Plain http on loopback: the session cookie is not Secure (it is behind an https URL).
    settings = make_settings(database_url, PUBLIC_BASE_URL="http://127.0.0.1")
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="console-server", daemon=True)
    thread.start()
    try:
        yield Console(base_url, database_url, demo)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def page(browser, console_server: Console):
    context = browser.new_context(
        base_url=console_server.base_url, viewport={"width": 1280, "height": 860}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()
