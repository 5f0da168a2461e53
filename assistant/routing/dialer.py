"""The outbound-call port of warm transfers: ring a staff member, move or cancel a live call.

`TwilioDialer` places calls with the official twilio client (built like the SMS sender's, see
`assistant.messaging.twilio_client.make_client`). Without Twilio credentials nothing is placed
and the transfer goes to voicemail. No database here; logs carry error codes, never numbers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from assistant.config import Settings
from assistant.messaging.twilio_client import make_client

log = logging.getLogger(__name__)

# Webhook paths Twilio calls back on (served by webhooks/twilio/transfer.py).
WHISPER_PATH = "/twilio/transfer/whisper"
STAFF_STATUS_PATH = "/twilio/transfer/staff-status"
VOICEMAIL_PATH = "/twilio/transfer/voicemail"
NO_ACCOUNT = "not placed (no Twilio account)"


@dataclass(frozen=True)
class DialResult:
    """How placing one staff call went."""

    sid: str | None = None
    error: str | None = None  # Twilio's code or a short reason; NO_ACCOUNT when local

    @property
    def placed(self) -> bool:
        return self.sid is not None

    @property
    def no_account(self) -> bool:
        return self.error == NO_ACCOUNT


class Dialer(Protocol):
    """What the transfer service needs from the telephony provider."""

    def place(self, attempt_id: int, to: str, ring_seconds: int) -> DialResult: ...

    def send_to_voicemail(self, caller_sid: str, transfer_id: int) -> bool: ...

    def cancel(self, call_sid: str) -> bool: ...


class TwilioDialer:
    """Calls through Twilio's REST API (or nothing at all without an account)."""

    def __init__(
        self, settings: Settings, *, client: Client | None = None, timeout_seconds: float = 5.0
    ) -> None:
        self._settings = settings
        self._base = settings.public_base_url
        if client is None and settings.twilio_enabled:
            client = make_client(settings, timeout_seconds=timeout_seconds)
        self.client = client

    def place(self, attempt_id: int, to: str, ring_seconds: int) -> DialResult:
        """Ring `to`; the whisper plays when they answer. Never retried: a request that may
        have reached Twilio would ring the same person twice."""
        if self.client is None:
            return DialResult(error=NO_ACCOUNT)
        try:
            call = self.client.calls.create(
                to=to,
                from_=self._settings.twilio_phone_number,
                url=f"{self._base}{WHISPER_PATH}?attempt={attempt_id}",
                # No status_callback_event: Twilio then sends only the final one (completed,
                # busy, no-answer, failed, canceled), all we act on. (Prism reads arrays only
                # as `Key[]=`, not the repeated keys Twilio and twilio-python use.)
                status_callback=f"{self._base}{STAFF_STATUS_PATH}?attempt={attempt_id}",
                timeout=ring_seconds,
            )
        except TwilioRestException as exc:
            log.warning("staff call refused: HTTP %s error %s", exc.status, exc.code)
            return DialResult(error=str(exc.code or exc.status))
        except (TwilioException, requests.RequestException) as exc:
            log.warning("staff call not placed: %s", type(exc).__name__)
            return DialResult(error=type(exc).__name__)
        return DialResult(sid=call.sid)

    def send_to_voicemail(self, caller_sid: str, transfer_id: int) -> bool:
        """Take the waiting caller out of the conference to leave a message."""
        return self._update(caller_sid, url=f"{self._base}{VOICEMAIL_PATH}?transfer={transfer_id}")

    def cancel(self, call_sid: str) -> bool:
        """Stop ringing a staff member (the caller is gone)."""
        return self._update(call_sid, status="canceled")

    def _update(self, call_sid: str, **params: str) -> bool:
        if self.client is None:
            return False
        try:
            self.client.calls(call_sid).update(**params)
        except (TwilioException, requests.RequestException) as exc:
            log.warning("call update failed: %s", type(exc).__name__)
            return False
        return True
