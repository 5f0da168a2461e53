"""Acting as Twilio from a terminal: sign and post webhooks, show what the patient would get.

`assistant text` and `assistant call` use this, so the whole assistant can be tried without a
Twilio account. Requests are signed exactly as Twilio signs them (X-Twilio-Signature over the
public URL and the sorted POST parameters).
"""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests
from twilio.request_validator import RequestValidator


@dataclass
class TwilioSimulator:
    app_url: str  # where the app listens
    public_base_url: str  # what Twilio would call (signatures are computed over this)
    auth_token: str
    practice_number: str = "+15555550100"
    http: requests.Session = field(default_factory=requests.Session)

    def post(self, path: str, params: dict[str, str]) -> requests.Response:
        signature = RequestValidator(self.auth_token).compute_signature(
            urljoin(self.public_base_url + "/", path.lstrip("/")), params
        )
        return self.http.post(
            urljoin(self.app_url + "/", path.lstrip("/")),
            data=params,
            headers={"X-Twilio-Signature": signature},
            timeout=20,
        )

    def text(self, from_number: str, body: str) -> list[str]:
        """Send an SMS; returns the texts of the `<Message>` replies."""
        params = {
            "MessageSid": "SM" + secrets.token_hex(16),
            "AccountSid": "AC" + "0" * 32,
            "From": from_number,
            "To": self.practice_number,
            "Body": body,
            "NumMedia": "0",
        }
        response = self.post("/twilio/sms", params)
        response.raise_for_status()
        return [m.text or "" for m in ET.fromstring(response.text).iter("Message")]


@dataclass
class CallTurn:
    said: list[str]
    next_path: str | None  # where the next speech/digits go (None: the call ended)


class SimulatedCall:
    """One phone call: start it, then answer each `<Gather>` with speech or digits."""

    def __init__(self, simulator: TwilioSimulator, from_number: str) -> None:
        self.sim = simulator
        self.from_number = from_number
        self.call_sid = "CA" + secrets.token_hex(16)

    def _params(self, **extra: str) -> dict[str, str]:
        return {
            "CallSid": self.call_sid,
            "AccountSid": "AC" + "0" * 32,
            "From": self.from_number,
            "To": self.sim.practice_number,
            "CallStatus": "in-progress",
            **extra,
        }

    @staticmethod
    def _parse(twiml: str) -> CallTurn:
        root = ET.fromstring(twiml)
        said = [el.text or "" for el in root.iter("Say")]
        gather = next(root.iter("Gather"), None)
        record = next(root.iter("Record"), None)
        target = gather if gather is not None else record
        return CallTurn(said, target.get("action") if target is not None else None)

    def start(self) -> CallTurn:
        response = self.sim.post("/twilio/voice", self._params())
        response.raise_for_status()
        return self._parse(response.text)

    def answer(self, path: str, text: str) -> CallTurn:
        if text.strip().isdigit() or text.strip() in ("*", "#"):
            params = self._params(Digits=text.strip())
        else:
            params = self._params(SpeechResult=text, Confidence="0.92")
        response = self.sim.post(path, params)
        response.raise_for_status()
        return self._parse(response.text)

    def hang_up(self) -> None:
        self.sim.post("/twilio/status", self._params(CallStatus="completed"))
