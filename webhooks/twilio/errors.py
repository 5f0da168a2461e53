"""Last line of defence: an unexpected error on a Twilio route still answers valid TwiML.

Twilio must never see a 5xx: a caller hears an apology and can leave a message; a texter is told
to call the office. The apologies are in the caller's language as far as the request tells without
the database: the `lang` of a call's webhook, the words of a text (English otherwise).

When the error is the database being unavailable, a signed inbound text, voicemail or status
callback is kept in the spool (assistant/spool) and replayed when the database is back, and
the answer says so truthfully: the texter is told a staff member will follow up (in Spanish
when the text is), the caller that the message was received; a status callback gets its 204.
If the spool cannot be written either (disk full ...), the answers are the apologies above.
Only requests whose signature was checked get here with `g.twilio_signed` set: nothing
unsigned is ever kept.

Each Twilio blueprint names its own answers (`answer_errors(bp, sorry, keep=...)`, a Flask
`bp.errorhandler`): what a caller hears during an outage follows the view, not its URL.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from flask import Blueprint, Flask, Response, g, request
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException

from assistant.db.faults import database_unavailable
from assistant.messages import DEFAULT_LANGUAGE, translate
from assistant.messaging import keywords
from assistant.messaging.language import detect_language
from assistant.spool import NotSpoolable, Spool, keep_sms, keep_status, keep_voicemail
from webhooks.context import settings
from webhooks.safe_logging import log_unexpected
from webhooks.twilio import twiml
from webhooks.twilio.prompts import prompt

log = logging.getLogger(__name__)

# Characters XML 1.0 forbids (C0 controls but tab, newline and return; U+FFFE, U+FFFF): a
# patient's text or a read-back could carry them, and Twilio cannot parse TwiML holding them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


Answer = Callable[[], Response]
Keeper = Callable[[Spool], Response]


def xml_safe(response: Response) -> Response:
    """Drop characters that would make a TwiML answer unparseable (and the caller hear an
    application error instead of us)."""
    if response.mimetype == "text/xml":
        body = response.get_data(as_text=True)
        if _NOT_XML.search(body):
            response.set_data(_NOT_XML.sub("", body))
    return response


def sms_kept(spool: Spool) -> Response:
    form = request.form
    body = form.get("Body", "")
    language = detect_language(body) or DEFAULT_LANGUAGE
    try:
        media = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        media = 0
    if media and not body.strip():  # a picture alone: nothing to keep, ask for words
        return _sms_answer(translate(language, "sms.text_only"))
    # Whether the number had opted out is in the database: "yes" is an ordinary answer here.
    word = keywords.keyword(body)
    consent = word if word in (keywords.STOP, keywords.START) else None
    # A STOP or START gets no text from us (Twilio's own opt-out handling answers those);
    # anything else will be a staff task.
    reply = None if consent else translate(language, "sms.message_taken")
    answer = _sms_answer(reply)
    keep_sms(
        spool,
        form,
        reply=reply,
        response=answer.get_data(as_text=True),
        language=language,
        keyword=consent,
        conversation_uid=g.get("spool_conversation_uid"),
    )
    return answer


def _sms_answer(reply: str | None) -> Response:
    response = MessagingResponse()
    if reply:
        response.message(reply)
    return twiml.xml(response)


def voicemail_kept(spool: Spool) -> Response:
    """A recording (after the greeting or after a transfer nobody took) kept for later."""
    language = twiml.language_arg()
    keep_voicemail(spool, request.form, language=language)
    response = VoiceResponse()
    twiml.say(response, language, prompt("voicemail_kept", language))
    response.hangup()
    return twiml.xml(response)


def status_kept(spool: Spool) -> Response:
    keep_status(spool, request.form)
    return twiml.no_content()


def spooled_answer(exc: BaseException, keeper: Keeper | None) -> Response | None:
    """Keep a signed request that failed because the database is unavailable, and answer it
    truthfully; None when this request is not one to keep or the spool cannot be written."""
    if keeper is None or not g.get("twilio_signed") or not database_unavailable(exc):
        return None
    try:
        return keeper(Spool(settings().spool_dir))
    except NotSpoolable:
        return None
    except Exception as error:  # noqa: BLE001 - disk full, read-only ...: answer as before
        log.error("spool: could not keep %s (%s)", request.path, type(error).__name__)
        return None


# --- the apologies: valid TwiML whatever failed ----------------------------------------------


def sms_sorry() -> Response:
    response = MessagingResponse()
    language = detect_language(request.form.get("Body", "")) or DEFAULT_LANGUAGE
    response.message(translate(language, "sms.outage_sorry"))
    return twiml.xml(response)


def caller_sorry() -> Response:
    """A caller: an apology and a recording (that joins a staff task), in the call's language."""
    language = twiml.language_arg()
    response = VoiceResponse()
    _say(response, language, translate(language, "voice.outage_sorry"))
    response.record(
        action=f"/twilio/voice/voicemail?lang={language}", max_length=120, play_beep=True
    )
    return twiml.xml(response)


def voicemail_sorry() -> Response:
    """After a recording could not be saved: not another recording (that would loop)."""
    language = twiml.language_arg()
    response = VoiceResponse()
    _say(response, language, translate(language, "voice.outage_voicemail_sorry"))
    response.hangup()
    return twiml.xml(response)


def _say(response: VoiceResponse, language: str, text: str) -> None:
    if language == DEFAULT_LANGUAGE:
        response.say(text)  # Twilio's default voice, as these answers always had
    else:
        twiml.say(response, language, text)


def answer_errors(
    bp: Blueprint,
    sorry: Answer,
    *,
    keep: Keeper | None = None,
    views: dict[str, tuple[Answer, Keeper | None]] | None = None,
) -> None:
    """How `bp` answers an unexpected error: `sorry()`; with the database unavailable, a
    signed request `keep` can spool is kept and answered truthfully instead. `views`: the
    answers of a view of `bp` (by view function name) that answers otherwise."""
    by_view = views or {}

    @bp.errorhandler(Exception)
    def _twilio_safe_error(exc: Exception):
        if isinstance(exc, HTTPException):
            return exc
        fallback, keeper = by_view.get(request.endpoint.rpartition(".")[2], (sorry, keep))
        if database_unavailable(exc):
            kept = spooled_answer(exc, keeper)
            # the type only: the message of a failed statement can carry its parameters (PHI)
            log.error(
                "database unavailable on %s: %s%s",
                request.path,
                type(exc).__name__,
                "; kept in the spool" if kept is not None else "",
            )
            if kept is not None:
                return kept
        else:
            log_unexpected(log, exc, "unhandled error on Twilio route %s", request.path)
        return fallback()

    bp.after_request(xml_safe)


def register(app: Flask) -> None:
    """Errors outside the Twilio blueprints (theirs are answered by `answer_errors`)."""

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        if isinstance(exc, HTTPException):
            return exc
        log_unexpected(log, exc, "unhandled error on %s", request.path)
        return Response("internal error", status=500, mimetype="text/plain")
