"""Twilio's Messages API through the official client: create with bounded retries, and look up
whether Twilio already accepted a message (to recover from a crash without sending twice).

No database here; `outbound` does the bookkeeping. Logs carry status codes, never numbers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from assistant.config import Settings

log = logging.getLogger(__name__)

# Errors that will not change by retrying: the number is marked and never texted again.
PERMANENT_ERRORS = {
    "21610": "opted_out",  # the recipient replied STOP to this sender (Twilio blocks it)
    "21211": "invalid_number",
    "21614": "not_mobile",
    "30006": "landline",  # landline or unreachable carrier
}
CLOCK_SKEW = timedelta(minutes=5)  # our clock vs Twilio's, when matching a message we sent


@dataclass(frozen=True)
class CreateOutcome:
    """What happened to one message creation (after any retries)."""

    sid: str | None = None
    error_code: str | None = None  # Twilio's code, or the HTTP status when Twilio gave none
    permanent: bool = False  # PERMANENT_ERRORS: mark the number, never retry
    transient: bool = False  # 429/5xx/connection refused, still failing after the retries
    ambiguous: bool = False  # the request may have reached Twilio (read timeout, reset)
    attempts: int = 0

    @property
    def accepted(self) -> bool:
        return self.sid is not None


def _retryable_status(status: int) -> bool:
    return status == 429 or status >= 500


def _never_reached_twilio(exc: requests.RequestException) -> bool:
    """Only a refused or timed-out *connection* proves the request was not sent."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def make_client(settings: Settings, *, timeout_seconds: float = 10.0) -> Client:
    """The official client for our account; `settings.twilio_api_base_url` redirects the v2010
    API (tests: a Prism mock)."""
    client = Client(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        http_client=TwilioHttpClient(timeout=timeout_seconds),
    )
    if settings.twilio_api_base_url:
        client.api.base_url = settings.twilio_api_base_url
    return client


class TwilioSender:
    """Sends SMS with the `twilio` client; `settings.twilio_api_base_url` redirects the v2010
    API (tests: a Prism mock). Retries 429/5xx with exponential backoff, bounded so that one
    send always ends well within the reminder worker's lease."""

    def __init__(
        self,
        settings: Settings,
        *,
        client: Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 4,
        backoff_seconds: float = 0.5,
        max_backoff_seconds: float = 8.0,
        timeout_seconds: float = 10.0,
    ) -> None:
        if not settings.twilio_enabled and client is None:
            raise ValueError("Twilio credentials are required to send")
        self._settings = settings
        self._sleep = sleep
        self.max_attempts = max_attempts
        self._backoff = backoff_seconds
        self._max_backoff = max_backoff_seconds
        self.client = client or make_client(settings, timeout_seconds=timeout_seconds)

    def delay(self, attempt: int) -> float:
        """Backoff before retry number `attempt` (1-based): 0.5, 1, 2, 4 ... capped."""
        return min(self._max_backoff, self._backoff * 2 ** (attempt - 1))

    def _sender_params(self) -> dict[str, str]:
        if self._settings.twilio_messaging_service_sid:
            return {"messaging_service_sid": self._settings.twilio_messaging_service_sid}
        return {"from_": self._settings.twilio_phone_number or ""}

    def create(self, to: str, body: str) -> CreateOutcome:
        params = {
            "to": to,
            "body": body,
            "status_callback": f"{self._settings.public_base_url}/twilio/status",
            **self._sender_params(),
        }
        return self._with_retries(lambda: self.client.messages.create(**params).sid)

    def call(self, to: str, twiml_url: str) -> CreateOutcome:
        """Place an outbound call whose TwiML is at `twiml_url` (a voice reminder). Twilio
        tells the TwiML whether a person or a machine answered (`AnsweredBy`)."""
        params = {
            "to": to,
            "from_": self._settings.twilio_phone_number or "",
            "url": twiml_url,
            "method": "POST",
            "machine_detection": "Enable",
            "status_callback": f"{self._settings.public_base_url}/twilio/status",
            "status_callback_method": "POST",
        }
        return self._with_retries(lambda: self.client.calls.create(**params).sid)

    def _with_retries(self, create: Callable[[], str]) -> CreateOutcome:
        attempt = 0
        while True:
            attempt += 1
            try:
                return CreateOutcome(sid=create(), attempts=attempt)
            except TwilioRestException as exc:
                code = str(exc.code or exc.status)
                if code in PERMANENT_ERRORS:
                    log.info("twilio refused a message for good: error %s", code)
                    return CreateOutcome(error_code=code, permanent=True, attempts=attempt)
                if not _retryable_status(exc.status):
                    log.warning("twilio rejected a message: HTTP %s error %s", exc.status, code)
                    return CreateOutcome(error_code=code, attempts=attempt)
                failure = CreateOutcome(error_code=code, transient=True, attempts=attempt)
            except requests.RequestException as exc:
                if not _never_reached_twilio(exc):
                    log.warning("twilio request outcome unknown: %s", type(exc).__name__)
                    return CreateOutcome(error_code="timeout", ambiguous=True, attempts=attempt)
                failure = CreateOutcome(error_code="connect", transient=True, attempts=attempt)
            if attempt >= self.max_attempts:
                log.warning("twilio still failing after %d attempts: %s", attempt, code_of(failure))
                return failure
            self._sleep(self.delay(attempt))

    def find_accepted(self, to: str, body: str, since: datetime) -> tuple[bool, str | None]:
        """(checked, sid): the SID of a message with this body Twilio accepted for this number
        since `since`, if any. `checked` is False when Twilio could not be asked."""
        return _find_recent(
            "message",
            lambda: self.client.messages.page(to=to, page_size=50),
            since,
            lambda message: message.body == body and message.to == to,
        )


def code_of(outcome: CreateOutcome) -> str:
    return outcome.error_code or "none"


def find_call(client: Client, to: str, since: datetime) -> tuple[bool, str | None]:
    """(checked, sid): a call Twilio placed to this number since `since`, if any (after a
    crash, before the CallSid was stored). `checked` is False when Twilio could not be asked."""
    return _find_recent(
        "call", lambda: client.calls.page(to=to, page_size=20), since, lambda call: call.to == to
    )


def _find_recent(
    kind: str,
    fetch_page: Callable[[], Iterable[Any]],
    since: datetime,
    matches: Callable[[Any], bool],
) -> tuple[bool, str | None]:
    """(checked, sid) of the first record on the page that matches and was created since
    `since` (less the clock skew; a record without a date counts as recent)."""
    try:
        page = fetch_page()
    except (TwilioException, requests.RequestException) as exc:
        log.warning("twilio %s lookup failed: %s", kind, type(exc).__name__)
        return False, None
    earliest = since.astimezone(timezone.utc) - CLOCK_SKEW
    for record in page:
        created = record.date_created
        recent = not isinstance(created, datetime) or created >= earliest
        if matches(record) and recent and record.sid:
            return True, record.sid
    return True, None
