"""The staff console in tests: the live server, signing in, where screenshots go."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient

from assistant.demo.seed import DemoSummary

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass(frozen=True)
class Console:
    base_url: str
    database_url: str
    demo: DemoSummary

    def url(self, path: str) -> str:
        return self.base_url + path


def sign_in(page, email: str, password: str) -> None:
    page.goto("/console/login")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def csrf_token(client: FlaskClient, path: str = "/console/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in_client(client: FlaskClient, email: str, password: str):
    token = csrf_token(client)
    return client.post(
        "/console/login", data={"email": email, "password": password, "csrf_token": token}
    )
