"""A reminder batch while Twilio's API misbehaves: Prism (Twilio's OpenAPI description) behind a
fault-injecting proxy that answers 429 and 5xx, and times out before or after Twilio got the
request. Every patient must get exactly one text per reminder, however many passes it takes.

Prism validates each request that gets through (a malformed one would be a 422) but keeps no
state, so the proxy remembers what Prism accepted and answers the message lookup (the
worker's "did Twilio get it?" after a timeout) from that record, as Twilio would.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections import Counter, deque
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlparse

import pytest

from assistant.messaging.outbound import Outbound
from assistant.messaging.twilio_client import TwilioSender
from assistant.reminders import worker
from assistant.reminders.pacing import Unpaced
from assistant.reminders.policy import LEASE
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    BOOKED_AT,
    VISIT,
    make_appointment,
    make_clinic,
    make_patient,
    ny,
    reminders_of,
    settings_for,
)

CLIENT_TIMEOUT = 1.0  # seconds the twilio client waits for an answer in these tests
STALL = CLIENT_TIMEOUT + 1.0


class FaultyTwilio:
    """An HTTP proxy to Prism with a script of faults, one per message creation."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.script: deque[str] = deque()
        self.accepted: list[dict] = []  # what Twilio (Prism) accepted: the truth
        self.faults: Counter[str] = Counter()
        self.refused_by_prism = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _forward(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(self.upstream + path, data=body, method="POST")
        for name in ("Authorization", "Content-Type"):
            if headers.get(name):
                request.add_header(name, headers[name])
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read()
        except HTTPError as refused:
            return refused.code, refused.read()

    def create(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        with self.lock:
            fault = self.script.popleft() if self.script else "forward"
            self.faults[fault] += 1
        if fault in ("429", "500", "503"):
            code = int(fault)
            payload = {
                "code": 20429 if code == 429 else code,
                "message": "injected",
                "status": code,
            }
            return code, json.dumps(payload).encode()
        if fault == "stall before":  # never reaches Twilio; the client gives up waiting
            time.sleep(STALL)
            return 503, b"{}"
        status, answer = self._forward(path, body, headers)
        if status == 201:
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            message = json.loads(answer)
            with self.lock:
                self.accepted.append(
                    {
                        "sid": message["sid"],
                        "to": form.get("To"),
                        "body": form.get("Body"),
                        "status": "queued",
                        "date_created": format_datetime(datetime.now(timezone.utc)),
                    }
                )
        else:
            self.refused_by_prism += 1
        if fault == "stall after":  # Twilio has it, but the answer is lost
            time.sleep(STALL)
        return status, answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, payload: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and left

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self._send(*proxy.create(self.path, body, dict(self.headers)))

            def do_GET(self) -> None:  # noqa: N802
                to = parse_qs(urlparse(self.path).query).get("To", [None])[0]
                with proxy.lock:
                    found = [m for m in proxy.accepted if to is None or m["to"] == to]
                page = {"messages": found[::-1], "next_page_uri": None}
                self._send(200, json.dumps(page).encode())

            def log_message(self, *_args: object) -> None:
                pass

        return Handler


@pytest.fixture
def faulty(prism_url: str):
    proxy = FaultyTwilio(prism_url)
    yield proxy
    proxy.close()


PATIENTS = 8


def _clinic_with_patients(url: str) -> dict[str, int]:
    """Eight consenting patients with visits from VISIT on, 20 minutes apart; their numbers ->
    appointment ids."""
    with UnitOfWork(url) as uow:
        clinic = make_clinic(uow.session)
        appointments = {}
        for i in range(PATIENTS):
            phone = f"+1555555{i + 200:04d}"
            patient = make_patient(uow.session, clinic, phone=phone, first=f"Pat{i}")
            appointments[phone] = make_appointment(
                uow.session, clinic, patient, VISIT + timedelta(minutes=20 * i)
            ).id
        uow.commit()
    return appointments


def _pass(url: str, proxy: FaultyTwilio, now: datetime) -> dict[str, int]:
    settings = settings_for(url, proxy.url)
    sender = TwilioSender(settings, sleep=lambda _s: None, timeout_seconds=CLIENT_TIMEOUT)
    return worker.run_once(settings, now, outbound=Outbound(settings, sender), pacer=Unpaced())


def test_a_batch_through_429_500_and_timeouts_texts_everyone_exactly_once(sqlite_url, faulty):
    appointments = _clinic_with_patients(sqlite_url)
    with UnitOfWork(sqlite_url) as uow:
        from assistant.reminders import planning

        planning.plan(uow.session, now=BOOKED_AT)
        uow.commit()
    faulty.script.extend(
        ["429", "500"]  # first reminder: retried within the send, then accepted
        + ["stall before"]  # second: Twilio never got it; unknown until looked up
        + ["stall after"]  # third: Twilio got it, the answer was lost
        + ["503"] * 4  # fourth: still failing after the client's 4 attempts: due again later
    )
    now = ny(2026, 11, 25, 13)  # all the 7-day reminders are due
    started = time.monotonic()
    first = _pass(sqlite_url, faulty, now)
    assert first["sent"] == PATIENTS - 3 and first["retry"] == 1 and first["unknown"] == 2
    # after the lease, the unknown ones are looked up (one resent, one found); the retry is due
    second = _pass(sqlite_url, faulty, now + LEASE + timedelta(minutes=1))
    elapsed = time.monotonic() - started
    assert second.get("sent", 0) + second.get("recovered", 0) == 3, second
    assert second.get("recovered", 0) >= 1
    third = _pass(sqlite_url, faulty, now + LEASE + timedelta(minutes=30))
    assert not third.get("sent") and not third.get("claimed")  # nothing left, nothing twice

    per_number = Counter(m["to"] for m in faulty.accepted)
    assert per_number == {phone: 1 for phone in appointments}, per_number
    assert faulty.refused_by_prism == 0  # every request that got through was valid for Twilio
    sids = {m["to"]: m["sid"] for m in faulty.accepted}
    for phone, appointment_id in appointments.items():
        reminder = reminders_of(sqlite_url, appointment_id)[0]  # the 7-day one
        assert reminder.status == "sent" and reminder.twilio_sid == sids[phone]
    assert elapsed < 30
    print(f"faults injected: {dict(faulty.faults)}; passes: {first}, {second}; {elapsed:.1f} s")


def test_twilio_down_for_a_whole_pass_loses_nothing_and_sends_once_when_back(sqlite_url, faulty):
    appointments = _clinic_with_patients(sqlite_url)
    with UnitOfWork(sqlite_url) as uow:
        from assistant.reminders import planning

        planning.plan(uow.session, now=BOOKED_AT)
        uow.commit()
    faulty.script.extend(["500"] * (4 * PATIENTS))  # every attempt of every send fails
    now = ny(2026, 11, 25, 13)
    first = _pass(sqlite_url, faulty, now)
    assert first["retry"] == PATIENTS and not faulty.accepted
    second = _pass(sqlite_url, faulty, now + timedelta(minutes=2))  # after the retry delay
    assert second["sent"] == PATIENTS
    assert Counter(m["to"] for m in faulty.accepted) == {phone: 1 for phone in appointments}
