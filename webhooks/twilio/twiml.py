"""The Twilio edge's toolkit: TwiML responses, speech per language, typed query parameters, the
once-only event (claim, then replay) and one unit of work per request.

Every Twilio blueprint answers through these, so a voice, a language code or the idempotency
sequence is written once:

    with once(f"voice:{call_sid}:{step}") as event:   # the request's one unit of work
        if (replay := event.replay()) is not None:    # claims the key
            return replay                             # a retry: the first answer again
        ...                                           # event.session
        return event.answer(response)                 # remember the answer, commit
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Response, request
from sqlalchemy.orm import Session
from twilio.twiml import TwiML
from twilio.twiml.voice_response import Gather, VoiceResponse

from assistant import idempotency
from assistant.db.models import WebhookEvent
from assistant.unit_of_work import UnitOfWork
from webhooks.context import settings

LANGUAGE_CODES = {"en": "en-US", "es": "es-US"}  # what Twilio's <Say> and <Gather> take
DEFAULT_LANGUAGE = "en"


# --- responses ----------------------------------------------------------------------------------


def xml(twiml: TwiML | str) -> Response:
    """A TwiML answer (a response object or a stored body)."""
    return Response(str(twiml), mimetype="text/xml")


def no_content() -> Response:
    """What a callback that needs no TwiML gets (status callbacks)."""
    return Response("", status=204)


def bad_request(text: str) -> Response:
    """A malformed webhook (a field Twilio always sends is missing): 400, plain text."""
    return Response(text, status=400, mimetype="text/plain")


# --- speech -------------------------------------------------------------------------------------


def speech(language: str) -> tuple[str, str]:
    """Twilio's language code and the practice's configured voice for `language`."""
    voice = settings().voice_for(language)
    return LANGUAGE_CODES.get(language, LANGUAGE_CODES[DEFAULT_LANGUAGE]), voice


def say(node: VoiceResponse | Gather, language: str, text: str) -> None:
    """`text` spoken in `language` with its voice."""
    code, voice = speech(language)
    node.say(text, voice=voice, language=code)


# --- query parameters ---------------------------------------------------------------------------


def _natural(raw: str) -> int:
    """A whole number written in ASCII digits. isdecimal, not isdigit: int() refuses digits
    such as "²"; signs, spaces and underscores are refused too (int() would take them)."""
    if not raw.isdecimal():
        raise ValueError(raw)
    return int(raw)


def int_arg(name: str, default: int) -> int:
    """A whole-number query parameter; `default` when absent or not a number."""
    return request.args.get(name, default, type=_natural)


def language_arg(name: str = "lang") -> str:
    """The call's language from the query string (ours), English unless it is one we speak."""
    language = request.args.get(name, DEFAULT_LANGUAGE)
    return language if language in LANGUAGE_CODES else DEFAULT_LANGUAGE


# --- one unit of work per request; each event acted on once --------------------------------------


@dataclass
class Event:
    """A Twilio event (a text, a caller's turn, a key press, a callback) inside the request's
    unit of work. `replay()` claims its key; `answer()` is where the request commits."""

    uow: UnitOfWork
    key: str
    earlier: WebhookEvent | None = None

    @property
    def session(self) -> Session:
        return self.uow.session

    def replay(self, pending: Response | None = None) -> Response | None:
        """Claim the key. A retry of an answered event gets the first answer; one whose first
        delivery has no answer (still running, or a callback that answers nothing) gets
        `pending`: None carries on and acts (the claim went with a failed request)."""
        self.earlier = idempotency.claim(self.uow.session, self.key)
        if self.earlier is None:
            return None
        if self.earlier.response:
            return xml(self.earlier.response)
        return pending

    def save(self) -> None:
        """Commit what the event recorded so far: the patient's words are stored before the
        edge depends on the dialogue (whose actions read them in their own transactions)."""
        self.uow.commit()

    def resume(self) -> None:
        """After the dialogue answered: its actions changed rows in their own transactions,
        so what this session loaded before is read again."""
        self.uow.session.expire_all()

    def acknowledge(self) -> Response:
        """Commit; a callback that needs no TwiML gets its 204 (nothing to replay)."""
        self.uow.commit()
        return no_content()

    def answer(self, twiml: TwiML | str) -> Response:
        """Remember the answer for retries and commit: the request's last commit."""
        body = str(twiml)
        idempotency.remember_response(self.uow.session, self.key, body)
        self.uow.commit()
        return xml(body)


@contextmanager
def once(key: str) -> Iterator[Event]:
    """The request's one unit of work, around the event `key` (claimed by `replay()`)."""
    with UnitOfWork(settings().database_url) as uow:
        yield Event(uow, key)


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """The request's one unit of work, for a route with nothing to claim."""
    with UnitOfWork(settings().database_url) as uow:
        yield uow
